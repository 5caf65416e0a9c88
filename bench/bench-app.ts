import { Controller, DynamicModule, Get, Logger, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module';
import { Public } from '../src/auth/auth.decorators';
import type { Role } from '../src/kernel/role';
import { UsersService } from '../src/auth/users.service';
import { loadEnvironment } from '../src/config/environment';
import { configureApp } from '../src/http/configure-app';
import { createScratchDatabase, ScratchDatabase } from '../src/database/scratch-database';

/** The bare baseline: a public Nest route that returns a constant, through the same HTTP stack. */
@Controller('bench')
class BareController {
  @Public()
  @Get('bare')
  bare(): { items: unknown[]; total: number } {
    return { items: [], total: 0 };
  }
}

export interface BenchApp {
  app: NestExpressApplication;
  baseUrl: string;
  database: ScratchDatabase;
  signIn(roles: Role[]): Promise<string>;
  close(): Promise<void>;
}

/** The whole app on a scratch database (DATABASE_URL's server, or a throw-away embedded one), listening on a free port. */
export async function startBenchApp(extraModules: Type<unknown>[] = [], overrides: Record<string, string> = {}): Promise<BenchApp> {
  Logger.overrideLogger(['error', 'warn']);
  const database = await createScratchDatabase('bench', process.env.DATABASE_URL);
  const env = loadEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RUN_MIGRATIONS: 'false',
    JWT_SECRET: randomUUID() + randomUUID(),
    ...overrides,
  });
  @Module({ controllers: [BareController] })
  class BenchModule {}
  const root: DynamicModule = { module: BenchModule, imports: [AppModule.forRoot(env, database.url), ...extraModules] };
  const app = await NestFactory.create<NestExpressApplication>(root, { bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app, env);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    database,
    async signIn(roles) {
      const email = `bench-${randomUUID()}@bench.registrar.nl`;
      const password = randomUUID();
      await app.get(UsersService).create({ email, password, roles, displayName: 'Bench' });
      const response = await fetch(`${baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

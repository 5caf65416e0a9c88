import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { UsersService } from '../src/auth/users.service';
import type { Role } from '../src/auth/role';
import { Environment, loadEnvironment } from '../src/config/environment';
import { configureApp } from '../src/http/configure-app';

export interface TestApp {
  app: NestExpressApplication;
  env: Environment;
  http: ReturnType<typeof request>;
  /** A fresh user with these roles, signed in: its bearer token and id. */
  signIn(roles: Role[], links?: { studentId?: string; teacherId?: string }): Promise<{ token: string; id: string; email: string }>;
  close(): Promise<void>;
}

/**
 * The whole application over real HTTP on the run's test database (see global-setup.ts).
 * `overrides` sets environment variables for this app only.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const env = loadEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RUN_MIGRATIONS: 'false',
    JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
    DATA_DIR: `/tmp/registrar-test-data-${process.pid}`,
    ...overrides,
  });
  const url = process.env.REGISTRAR_TEST_DATABASE_URL!;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env, url)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  configureApp(app, env);
  await app.init();
  const http = request(app.getHttpServer());
  return {
    app,
    env,
    http,
    async signIn(roles, links = {}) {
      const email = `${roles.join('-')}-${randomUUID()}@test.registrar.nl`;
      const password = `pw-${randomUUID()}`;
      const user = await app.get(UsersService).create({ email, password, roles, displayName: `Test ${roles.join(' ')}`, ...links });
      const response = await http.post('/auth/login').send({ email, password }).expect(200);
      return { token: response.body.accessToken as string, id: user.id, email };
    },
    close: () => app.close(),
  };
}

/** The `Authorization` header for a token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

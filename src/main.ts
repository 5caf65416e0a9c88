import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabaseOrExit } from './database/connect';
import { stopOnSignal } from './shutdown';

/** The API server; with no DATABASE_URL it runs its own PostgreSQL and a job worker. */
async function bootstrap(): Promise<void> {
  const env = loadEnvironmentOrExit();
  let launched!: () => void;
  const embeddedLaunched = new Promise<void>((resolve) => (launched = resolve));
  const connecting = connectDatabaseOrExit(env, { onLaunched: launched });
  // Nest and the application's modules load while an embedded PostgreSQL starts up in its own
  // process; a DATABASE_URL is tried first. Nest starts only once the database answers: a wrong
  // address is told at once, not after TypeORM's retries.
  await Promise.race([embeddedLaunched, connecting]);
  const [{ NestFactory }, { AppModule }, { configureApp }, { DemoSeeder }] = await Promise.all([
    import('@nestjs/core'),
    import('./app.module'),
    import('./http/configure-app'),
    import('./demo/demo.seeder'),
  ]);
  const database = await connecting;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, database.url), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, env);
  stopOnSignal(app, database);
  await app.listen(env.PORT);
  app.getHttpServer().setTimeout(60_000);
  process.stdout.write(`Registrar listens on http://localhost:${env.PORT} (API docs at /docs)\n`);
  // Last, in plain words, so the demo's passwords do not scroll away under the boot's log lines.
  const demoNotice = app.get(DemoSeeder).bootNotice();
  if (demoNotice) process.stdout.write(demoNotice);
}

void bootstrap();

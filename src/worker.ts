import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabaseOrExit } from './database/connect';
import { stopOnSignal } from './shutdown';
import { JsonLogger } from './http/json-logger';

/** A job worker without HTTP: run as many as the work needs, on as many machines. */
async function bootstrap(): Promise<void> {
  const env = loadEnvironmentOrExit();
  env.RUN_WORKER = true;
  env.SEED_DEMO = false;
  const database = await connectDatabaseOrExit(env, { attach: true });
  // Loaded once the database answers, as in main.ts.
  const { AppModule } = await import('./app.module');
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env, database.url), { bufferLogs: true });
  app.useLogger(app.get(JsonLogger));
  stopOnSignal(app, database);
  await app.init();
  process.stdout.write('Registrar worker is running\n');
}

void bootstrap();

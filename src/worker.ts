import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabase } from './database/connect';
import { stopOnSignal } from './shutdown';
import { JsonLogger } from './http/json-logger';

/** A job worker without HTTP: run as many as the work needs, on as many machines. */
async function bootstrap(): Promise<void> {
  const env = loadEnvironmentOrExit();
  env.RUN_WORKER = true;
  env.SEED_DEMO = false;
  const database = await connectDatabase(env, { attach: true });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env, database.url), { bufferLogs: true });
  app.useLogger(app.get(JsonLogger));
  stopOnSignal(app, database);
  await app.init();
  process.stdout.write('Registrar worker is running\n');
}

void bootstrap();

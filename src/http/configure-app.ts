import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { JsonLogger } from './json-logger';
import { Environment } from '../config/environment';
import { setUpDocumentation } from './documentation';
import { createValidationPipe, RequestInputPipe } from './validation';

export const BODY_LIMIT = '1mb';

/** Everything about the HTTP stack that is the same for the server and the e2e tests. */
export function configureApp(app: NestExpressApplication, env: Environment): INestApplication {
  app.useLogger(app.get(JsonLogger));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } }));
  app.enableCors({ origin: env.corsOrigins, credentials: false, exposedHeaders: ['x-request-id', 'location'] });
  app.set('trust proxy', 'loopback');
  app.useGlobalPipes(new RequestInputPipe(), createValidationPipe());
  setUpDocumentation(app);
  return app;
}

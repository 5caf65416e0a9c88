import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { Environment } from '../config/environment';
import { JsonLogger } from './json-logger';
import { ProblemFilter } from './problem.filter';
import { RequestContext } from '../kernel/request-context';
import { requestLogOptions } from './request-log';
import { RouteInputInterceptor } from './route-input.interceptor';

/** JSON logs with a request id, the one error format, the checks of route input, and the per-request context. */
@Module({
  providers: [
    {
      provide: JsonLogger,
      inject: [Environment],
      useFactory: (env: Environment) => new JsonLogger(pino({ level: env.LOG_LEVEL })),
    },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: RouteInputInterceptor },
  ],
  exports: [JsonLogger],
})
export class HttpModule implements NestModule {
  constructor(
    private readonly logger: JsonLogger,
    private readonly env: Environment,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    const requestLog = pinoHttp({ ...requestLogOptions(this.env.LOG_LEVEL), logger: this.logger.pino });
    consumer
      // pino-http has given the request its id (requestIdOf, in requestLogOptions).
      .apply(requestLog, (request: IncomingMessage & { id: string }, _response: unknown, next: () => void) => RequestContext.run({ requestId: request.id }, next))
      .forRoutes('*path');
  }
}

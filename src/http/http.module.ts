import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { Environment } from '../config/environment';
import { JsonLogger } from './json-logger';
import { ProblemFilter } from './problem.filter';
import { RequestContext } from './request-context';

/** A caller's own request id is kept when it looks sane; otherwise we make one. */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** JSON logs with a request id, the one error format, and the per-request context. */
@Module({
  providers: [
    {
      provide: JsonLogger,
      inject: [Environment],
      useFactory: (env: Environment) => new JsonLogger(pino({ level: env.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] })),
    },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
  exports: [JsonLogger],
})
export class HttpModule implements NestModule {
  constructor(private readonly logger: JsonLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    const requestLog = pinoHttp({
      logger: this.logger.pino,
      genReqId: (request, response) => {
        const id = requestIdOf(request);
        response.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    });
    consumer
      .apply(requestLog, (request: IncomingMessage & { id?: string }, _response: unknown, next: () => void) => {
        request.id = requestIdOf(request);
        RequestContext.run({ requestId: request.id }, next);
      })
      .forRoutes('*path');
  }
}

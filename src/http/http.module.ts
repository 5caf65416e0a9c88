import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { ProblemFilter } from './problem.filter';
import { RequestContext } from './request-context';
import { requestIdOf, requestLogOptions } from './request-log';
import { RouteInputInterceptor } from './route-input.interceptor';

/** JSON logs with a request id, the one error format, the checks of route input, and the per-request context. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ pinoHttp: requestLogOptions(env.LOG_LEVEL) }),
    }),
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: RouteInputInterceptor },
  ],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((request: IncomingMessage & { id?: string }, _response: unknown, next: () => void) => {
        request.id = requestIdOf(request);
        RequestContext.run({ requestId: request.id }, next);
      })
      .forRoutes('*path');
  }
}

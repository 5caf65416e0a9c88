import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, Type, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { JsonPage } from './pagination';

/** Sends a {@link JsonPage} as the JSON it is; any other answer goes on as it is. */
@Injectable()
export class PageJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!(answer instanceof JsonPage)) return answer;
        context.switchToHttp().getResponse<Response>().type('json');
        return answer.json;
      }),
    );
  }
}

/** Documents a paginated list of `item`, and sends it as `jsonPageFrom` wrote it. */
export function ApiPage(item: Type<unknown>) {
  return applyDecorators(
    UseInterceptors(PageJsonInterceptor),
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'page', 'pageSize', 'total'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          page: { type: 'integer', minimum: 1 },
          pageSize: { type: 'integer', minimum: 1 },
          total: { type: 'integer', minimum: 0 },
        },
      },
    }),
  );
}

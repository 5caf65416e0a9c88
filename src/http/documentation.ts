import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details: the one error format of this API',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Machine-readable reason, e.g. edition_full, stale_version' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Invalid input: the fields and the rules they break',
  '401': 'No valid access token',
  '403': 'Your roles do not allow this',
  '404': 'Not found',
  '409': 'Conflicts with the current state',
  '413': 'The body is larger than 1 MB',
  '422': 'A business rule refused the change',
  '429': 'Too many requests',
  '500': 'Unexpected error (logged with the request id)',
};

/** Every operation answers errors in the problem format; say so in each operation's responses. */
function documentProblems(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  const content = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method) || typeof operation !== 'object') continue;
      const op = operation as { responses: Record<string, { description: string; content?: unknown }>; parameters?: unknown[]; requestBody?: unknown; 'x-public'?: boolean };
      // Any operation refuses input it does not declare (a body, a query parameter) with 400.
      const codes = ['400', '500'];
      if (op.requestBody) codes.push('413');
      if (!op['x-public']) codes.push('401', '403');
      for (const code of new Set([...codes, ...Object.keys(op.responses).filter((c) => c >= '400')])) {
        op.responses[code] = { description: op.responses[code]?.description || ERROR_DESCRIPTIONS[code] || 'Error', content };
      }
    }
  }
  return document;
}

export function setUpDocumentation(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Registrar')
    .setDescription(
      'Back office of a Dutch training institute: course catalogue and planning, enrolment and advice, and mail. ' +
        'Lists answer one page: `{items, page, pageSize, total}`. Every route needs a bearer token and one of the roles in its `x-roles`, ' +
        'unless it is marked `x-public`. Errors come as application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  // Made at the first request for /docs, not at boot: scanning every route took a quarter of a second.
  const document = () => documentProblems(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

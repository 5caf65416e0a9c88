import { ArgumentsHost, BadRequestException, NotFoundException } from '@nestjs/common';
import { DatabaseAvailability } from '../database/database-availability';
import { ProblemFilter } from './problem.filter';

/** Runs the filter on `exception` and gives back what it answered and what it left for the request log. */
function answer(exception: unknown) {
  const sent: { status?: number; body?: Record<string, unknown> } = {};
  const response = {
    headersSent: false,
    err: undefined as Error | undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(text: string) {
      sent.body = JSON.parse(text) as Record<string, unknown>;
    },
  };
  const request = { id: 'trace-9', originalUrl: '/users' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new ProblemFilter(new DatabaseAvailability('postgres://unused')).catch(exception, host);
  return { ...sent, loggedError: response.err };
}

describe('ProblemFilter', () => {
  it('answers an unexpected error 500 without internals and hands the error to the request log', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'id')");
    const { status, body, loggedError } = answer(error);
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('reading');
    expect(loggedError).toBe(error);
  });

  it('leaves the log line of a 4xx without an error', () => {
    expect(answer(new NotFoundException()).loggedError).toBeUndefined();
  });

  it('gives a 400 raised without field errors one about the request as a whole', () => {
    const { status, body } = answer(new BadRequestException('URI malformed'));
    expect(status).toBe(400);
    expect(body?.errors).toEqual([{ field: '', rule: 'invalid', message: 'URI malformed' }]);
  });
});

import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { requestLogOptions } from './request-log';

/** Runs `handle` behind the request logger and gives back the JSON lines it wrote. */
async function logLinesOf(handle: (request: IncomingMessage & { actor?: { id: string } }, response: ServerResponse & { err?: Error }) => void, path = '/users?search=anna%40example.nl') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  const logger = pinoHttp(requestLogOptions('info'), sink);
  const server = createServer((req, res) => {
    logger(req, res);
    handle(req, res);
  });
  await request(server).get(path).set('x-request-id', 'trace-7').set('Authorization', 'Bearer secret-token').set('Cookie', 'a=b');
  await new Promise((resolve) => setImmediate(resolve));
  return lines;
}

describe('request log', () => {
  it('is one short line per request: method, path, status, milliseconds, request id and user id', async () => {
    const lines = await logLinesOf((req, res) => {
      req.actor = { id: 'user-1' };
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    expect(lines).toHaveLength(1);
    const { level, time, pid, hostname, msg, ...line } = lines[0];
    expect({ level, msg }).toEqual({ level: 30, msg: 'request completed' });
    expect([time, pid, hostname]).toEqual([expect.any(Number), expect.any(Number), expect.any(String)]);
    expect(line).toEqual({ requestId: 'trace-7', userId: 'user-1', method: 'GET', path: '/users', status: 200, responseTime: expect.any(Number) });
    expect(JSON.stringify(lines[0]).length).toBeLessThan(250);
  });

  it('logs a 500 in that one line, with the error and its stack', async () => {
    const lines = await logLinesOf((_req, res) => {
      res.statusCode = 500;
      res.err = new Error('relation "user_account" does not exist');
      res.end('{}');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, method: 'GET', path: '/users', status: 500, requestId: 'trace-7' });
    expect(lines[0].err).toMatchObject({ type: 'Error', message: 'relation "user_account" does not exist', stack: expect.stringContaining('request-log.spec') });
  });

  it('logs another 5xx, which is no error of ours, as a warning without a made-up error', async () => {
    const lines = await logLinesOf((_req, res) => {
      res.statusCode = 502;
      res.end('{}');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, status: 502, msg: 'request errored' });
    expect(lines[0]).not.toHaveProperty('err');
  });

  it('logs a 503 (the database away, logged once per outage elsewhere) as an ordinary request line', async () => {
    const lines = await logLinesOf((_req, res) => {
      res.statusCode = 503;
      res.end('{}');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, status: 503, msg: 'request completed' });
  });

  it('leaves the secret out of a teacher calendar link', async () => {
    const lines = await logLinesOf((_req, res) => res.end('BEGIN:VCALENDAR'), '/calendar/teachers/Zx8-secret_token.ics?x=1');
    expect(lines[0]).toMatchObject({ path: '/calendar/teachers/[secret].ics' });
    expect(JSON.stringify(lines)).not.toContain('Zx8-secret_token');
  });

  it('leaves out health checks', async () => {
    expect(await logLinesOf((_req, res) => res.end('{}'), '/health')).toEqual([]);
  });
});

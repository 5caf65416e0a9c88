import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnreachable, unreachableReason } from './connection-errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unreachableReason', () => {
  it('names a refused, reset or unanswered connection', () => {
    expect(unreachableReason(withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'))).toBe('connection refused');
    expect(unreachableReason(withCode('read ECONNRESET', 'ECONNRESET'))).toBe('connection reset');
    expect(unreachableReason(withCode('getaddrinfo ENOTFOUND db.example.nl', 'ENOTFOUND'))).toBe('host not found');
    expect(unreachableReason(new Error('timeout exceeded when trying to connect'))).toBe('no answer in time');
    expect(unreachableReason(new Error('Connection terminated due to connection timeout'))).toBe('no answer in time');
    expect(unreachableReason(new Error('Connection terminated unexpectedly'))).toBe('connection lost');
  });

  it('knows the SQLSTATEs of a server that stops, starts or has lost the connection', () => {
    expect(unreachableReason(withCode('terminating connection due to unexpected postmaster exit', '57P01'))).toBe('the server ended the connection');
    expect(unreachableReason(withCode('the database system is starting up', '57P03'))).toBe('the server is starting up or recovering');
    expect(unreachableReason(withCode('connection failure', '08006'))).toBe('connection failure');
  });

  it("takes a transaction's connection released under it for a lost one", () => {
    expect(unreachableReason(new QueryRunnerProviderAlreadyReleasedError())).toBe('connection lost');
  });

  it('looks inside a TypeORM query error and an AggregateError of IPv4 and IPv6 attempts', () => {
    const driverError = withCode('terminating connection due to administrator command', '57P01');
    expect(isDatabaseUnreachable(new QueryFailedError('SELECT 1', [], driverError))).toBe(true);
    const both = new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]);
    expect(unreachableReason(both)).toBe('connection refused');
  });

  it('leaves statements that failed, and other errors, alone', () => {
    expect(isDatabaseUnreachable(new QueryFailedError('INSERT …', [], withCode('duplicate key value', '23505')))).toBe(false);
    expect(isDatabaseUnreachable(withCode('canceling statement due to statement timeout', '57014'))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError('actor.roles.some is not a function'))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});

import { classifyFailure, retryDelaySeconds } from './delivery-failure';

describe('classifyFailure', () => {
  it('treats 4xx replies as temporary and 5xx replies as permanent', () => {
    expect(classifyFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 Try later', message: 'Try later' })).toEqual({
      permanent: false,
      reason: 'EENVELOPE: Try later',
      response: '451 4.3.0 Try later',
    });
    expect(classifyFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', message: 'No such user' })).toEqual({
      permanent: true,
      reason: 'EENVELOPE: No such user',
      response: '550 5.1.1 No such user',
    });
    expect(classifyFailure({ code: 'EPROTOCOL', responseCode: 503, message: 'Bad sequence' }).permanent).toBe(false);
  });

  it('treats lost connections and timeouts as temporary, an invalid address as permanent', () => {
    expect(classifyFailure({ code: 'ECONNECTION', message: 'Connection closed' }).permanent).toBe(false);
    expect(classifyFailure({ code: 'ETIMEDOUT', message: 'Timeout' }).permanent).toBe(false);
    expect(classifyFailure({ code: 'ESOCKET', message: 'connect ECONNREFUSED' }).permanent).toBe(false);
    expect(classifyFailure({ code: 'EENVELOPE', message: 'No recipients defined' }).permanent).toBe(true);
    expect(classifyFailure(new Error('boom'))).toEqual({ permanent: false, reason: 'boom', response: null });
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from one minute up to two hours', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 3840, 7200, 7200]);
  });
});

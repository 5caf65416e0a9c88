import { formatDiplomaNumber, newVerificationCode, normaliseVerificationCode, VERIFICATION_CODE_PATTERN } from './diploma-number';

describe('diploma numbers', () => {
  it('are the year and a six-digit place in its series', () => {
    expect(formatDiplomaNumber(2027, 42)).toBe('D2027-000042');
    expect(formatDiplomaNumber(2026, 999_999)).toBe('D2026-999999');
  });

  it('refuse a place outside the series', () => {
    expect(() => formatDiplomaNumber(2027, 0)).toThrow(RangeError);
    expect(() => formatDiplomaNumber(2027, 1_000_000)).toThrow(RangeError);
  });
});

describe('verification codes', () => {
  it('are 20 base32 letters, all different over many draws', () => {
    const codes = Array.from({ length: 2000 }, newVerificationCode);
    expect(codes.every((code) => VERIFICATION_CODE_PATTERN.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('use every letter of the alphabet about equally', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const letter of newVerificationCode()) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 40,000 letters over 32: about 1250 each.
    for (const count of counts.values()) expect(count).toBeGreaterThan(1000);
  });

  it('are read in lower case and with separators, and refused in any other shape', () => {
    expect(normaliseVerificationCode('abcde-fghij-klmno-pqrs2')).toBe('ABCDEFGHIJKLMNOPQRS2');
    expect(normaliseVerificationCode('ABCDEFGHIJKLMNOPQRS')).toBeNull();
    expect(normaliseVerificationCode('ABCDEFGHIJKLMNOPQRS0')).toBeNull();
    expect(normaliseVerificationCode('../../etc/passwd')).toBeNull();
  });
});

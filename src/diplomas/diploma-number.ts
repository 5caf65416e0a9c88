import { randomBytes } from 'node:crypto';

/** `D2027-000042`: the year of issue and the place in that year's series, without gaps. */
export function formatDiplomaNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) throw new RangeError(`sequence ${sequence} is outside 1..999999`);
  return `D${year}-${String(sequence).padStart(6, '0')}`;
}

export const DIPLOMA_NUMBER_PATTERN = /^D(\d{4})-(\d{6})$/;

/** RFC 4648 base32 letters: no 0, 1, 8 or 9, so a code read aloud or typed is not mistaken. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const VERIFICATION_CODE_LENGTH = 20;
/** The shape of a verification code: 20 base32 letters, 100 random bits. */
export const VERIFICATION_CODE_PATTERN = /^[A-Z2-7]{20}$/;

/** 100 bits from the system's random source: not guessable, not derived from anything about the diploma. */
export function newVerificationCode(): string {
  const bytes = randomBytes(VERIFICATION_CODE_LENGTH);
  // 256 is a multiple of 32: taking each byte modulo 32 is without bias.
  return Array.from(bytes, (byte) => ALPHABET[byte % 32]).join('');
}

/** The code as typed (lower case, spaces or dashes between groups) in its one form, or null when it cannot be one. */
export function normaliseVerificationCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return VERIFICATION_CODE_PATTERN.test(code) ? code : null;
}

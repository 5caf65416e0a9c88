import { formatDate, formatDateTime, formatMoney, formatPlural, formatTime, MailHelperError } from './mail-helpers';

describe('mail helpers', () => {
  describe('dates and times in Europe/Amsterdam', () => {
    it('writes a date and time in Dutch and English', () => {
      expect(formatDateTime('2027-01-12T08:30:00Z', 'nl')).toBe('dinsdag 12 januari 2027, 09:30');
      expect(formatDateTime('2027-01-12T08:30:00Z', 'en')).toBe('Tuesday 12 January 2027, 09:30');
    });

    it('takes an instant as a Date as well as an ISO string with any offset', () => {
      expect(formatDateTime(new Date('2027-01-12T08:30:00Z'), 'nl')).toBe('dinsdag 12 januari 2027, 09:30');
      expect(formatDateTime('2027-01-12T03:30:00-05:00', 'en')).toBe('Tuesday 12 January 2027, 09:30');
    });

    it('reads an ISO time without offset as Amsterdam wall-clock time', () => {
      expect(formatDateTime('2027-07-06T09:30', 'nl')).toBe('dinsdag 6 juli 2027, 09:30');
    });

    it('follows the switch to summer time on 28 March 2027', () => {
      expect(formatDateTime('2027-03-28T00:30:00Z', 'nl')).toBe('zondag 28 maart 2027, 01:30');
      expect(formatDateTime('2027-03-28T01:30:00Z', 'nl')).toBe('zondag 28 maart 2027, 03:30');
      expect(formatTime(new Date('2027-03-28T01:00:00Z'))).toBe('03:00');
    });

    it('follows the switch back to winter time on 31 October 2027', () => {
      expect(formatDateTime('2027-10-31T00:30:00Z', 'en')).toBe('Sunday 31 October 2027, 02:30');
      expect(formatDateTime('2027-10-31T01:30:00Z', 'en')).toBe('Sunday 31 October 2027, 02:30');
      expect(formatTime('2027-10-31T02:30:00Z')).toBe('03:30');
    });

    it('writes the date only, and keeps a calendar day on its own day', () => {
      expect(formatDate('2027-03-28', 'nl')).toBe('zondag 28 maart 2027');
      expect(formatDate('2027-10-31', 'en')).toBe('Sunday 31 October 2027');
      expect(formatDate('2027-01-11T23:30:00Z', 'nl')).toBe('dinsdag 12 januari 2027');
      expect(formatDate(new Date('2027-01-12T08:30:00Z'), 'en')).toBe('Tuesday 12 January 2027');
    });

    it('writes the time only', () => {
      expect(formatTime('2027-01-12T08:30:00Z')).toBe('09:30');
      expect(formatTime('2027-07-12T08:30:00Z')).toBe('10:30');
    });

    it('refuses what is not a moment, and a calendar day where a time is needed', () => {
      expect(() => formatDateTime('2027-01-12', 'nl')).toThrow(MailHelperError);
      expect(() => formatTime('next tuesday')).toThrow('helper "time" expects a date or an instant with a time, got "next tuesday"');
      expect(() => formatDate(undefined, 'nl')).toThrow('got nothing');
      expect(() => formatDate(new Date('invalid'), 'nl')).toThrow(MailHelperError);
      expect(() => formatDate(1767225600000, 'nl')).toThrow(MailHelperError);
    });
  });

  describe('money from integer cents', () => {
    it('writes euros the Dutch way', () => {
      expect(formatMoney(125000, 'nl')).toBe('€ 1.250,00');
      expect(formatMoney(5, 'nl')).toBe('€ 0,05');
      expect(formatMoney(0, 'nl')).toBe('€ 0,00');
      expect(formatMoney(123456789, 'nl')).toBe('€ 1.234.567,89');
      expect(formatMoney(-125000, 'nl')).toBe('€ -1.250,00');
      expect(formatMoney(-5, 'nl')).toBe('€ -0,05');
    });

    it('writes euros the English way', () => {
      expect(formatMoney(125000, 'en')).toBe('€1,250.00');
      expect(formatMoney(99, 'en')).toBe('€0.99');
      expect(formatMoney(123456789, 'en')).toBe('€1,234,567.89');
      expect(formatMoney(-125000, 'en')).toBe('-€1,250.00');
    });

    it('refuses fractions of a cent, strings and nothing', () => {
      expect(() => formatMoney(12.5, 'nl')).toThrow('helper "money" expects whole euro cents, got 12.5');
      expect(() => formatMoney('1250', 'nl')).toThrow(MailHelperError);
      expect(() => formatMoney(undefined, 'en')).toThrow(MailHelperError);
    });
  });

  describe('plurals', () => {
    it('chooses the Dutch word for one, none and many', () => {
      expect(formatPlural(1, 'lesdag', 'lesdagen', 'nl')).toBe('1 lesdag');
      expect(formatPlural(0, 'lesdag', 'lesdagen', 'nl')).toBe('0 lesdagen');
      expect(formatPlural(3, 'lesdag', 'lesdagen', 'nl')).toBe('3 lesdagen');
      expect(formatPlural(1250, 'cursist', 'cursisten', 'nl')).toBe('1.250 cursisten');
    });

    it('chooses the English word for one, none and many', () => {
      expect(formatPlural(1, 'session', 'sessions', 'en')).toBe('1 session');
      expect(formatPlural(0, 'session', 'sessions', 'en')).toBe('0 sessions');
      expect(formatPlural(1250, 'student', 'students', 'en')).toBe('1,250 students');
    });

    it('refuses a count that is not a whole number', () => {
      expect(() => formatPlural(1.5, 'lesdag', 'lesdagen', 'nl')).toThrow(MailHelperError);
      expect(() => formatPlural(2, 'lesdag', undefined, 'nl')).toThrow(MailHelperError);
    });
  });
});

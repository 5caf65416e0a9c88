import { dutchPublicHolidays, NonTeachingDays } from './holidays';

describe('dutchPublicHolidays', () => {
  it('is the explicit Dutch set, without Good Friday, with Koningsdag on Saturday 26 April when the 27th is a Sunday', () => {
    expect(Object.fromEntries(dutchPublicHolidays(2025, 'never'))).toEqual({
      '2025-01-01': 'Nieuwjaarsdag',
      '2025-04-20': 'Eerste Paasdag',
      '2025-04-21': 'Tweede Paasdag',
      '2025-04-26': 'Koningsdag',
      '2025-05-29': 'Hemelvaartsdag',
      '2025-06-08': 'Eerste Pinksterdag',
      '2025-06-09': 'Tweede Pinksterdag',
      '2025-12-25': 'Eerste Kerstdag',
      '2025-12-26': 'Tweede Kerstdag',
    });
  });

  it('puts Koningsdag on 27 April in an ordinary year', () => {
    expect(dutchPublicHolidays(2027, 'never').get('2027-04-27')).toBe('Koningsdag');
    expect(dutchPublicHolidays(2027, 'never').get('2027-04-26')).toBeUndefined();
  });
});

describe('NonTeachingDays', () => {
  it('keeps Good Friday a teaching day', () => {
    expect(new NonTeachingDays({ liberationDay: 'every-year' }).reasonFor('2027-03-26')).toBeUndefined();
  });

  it.each([
    ['every-year', '2025-05-05', 'Bevrijdingsdag'],
    ['every-year', '2027-05-05', 'Bevrijdingsdag'],
    ['lustrum', '2025-05-05', 'Bevrijdingsdag'],
    ['lustrum', '2030-05-05', 'Bevrijdingsdag'],
    ['lustrum', '2027-05-05', undefined],
    ['never', '2025-05-05', undefined],
  ] as const)('Liberation Day policy %s on %s gives %s', (liberationDay, date, expected) => {
    expect(new NonTeachingDays({ liberationDay }).reasonFor(date)).toBe(expected);
  });

  it('adds closing periods across the turn of the year, where public holidays keep their own name', () => {
    const days = new NonTeachingDays({ liberationDay: 'never', closingDays: [{ from: '2027-12-24', to: '2028-01-02', reason: 'Kerstreces' }] });
    expect(days.reasonFor('2027-12-23')).toBeUndefined();
    expect(days.reasonFor('2027-12-24')).toBe('closing day: Kerstreces');
    expect(days.reasonFor('2027-12-25')).toBe('Eerste Kerstdag');
    expect(days.reasonFor('2027-12-31')).toBe('closing day: Kerstreces');
    expect(days.reasonFor('2028-01-01')).toBe('Nieuwjaarsdag');
    expect(days.reasonFor('2028-01-02')).toBe('closing day: Kerstreces');
    expect(days.reasonFor('2028-01-03')).toBeUndefined();
    expect(days.isTeachingDay('2028-01-03')).toBe(true);
  });

  it('rejects a closing period that ends before it starts', () => {
    expect(() => new NonTeachingDays({ liberationDay: 'never', closingDays: [{ from: '2027-02-10', to: '2027-02-01', reason: 'Voorjaar' }] })).toThrow(
      'closing days "Voorjaar": 2027-02-10–2027-02-01 is not a valid date range',
    );
  });
});

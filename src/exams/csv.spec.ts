import { parseCsv, toCsv } from './csv';

describe('csv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(toCsv([['nummer', 'naam'], ['S1', 'Şahin, "Zoë"'], ['S2', '=SUM(A1)']])).toBe('nummer,naam\r\nS1,"Şahin, ""Zoë"""\r\nS2,\'=SUM(A1)\r\n');
  });

  it('parses quoted fields, both delimiters and line numbers, skipping blank lines', () => {
    expect(parseCsv('nummer,cijfer\r\nS1,"5,5"\r\n\r\nS2,7\n')).toEqual({
      delimiter: ',',
      lines: [
        { line: 1, fields: ['nummer', 'cijfer'] },
        { line: 2, fields: ['S1', '5,5'] },
        { line: 4, fields: ['S2', '7'] },
      ],
    });
    expect(parseCsv('\uFEFFnummer;cijfer\nS1;6,5').lines[1]).toEqual({ line: 2, fields: ['S1', '6,5'] });
  });
});

import { fullName } from './student-name';

describe('fullName', () => {
  it('puts given names first, with the surname prefix before the family name', () => {
    expect(fullName({ givenNames: 'Sanne', namePrefix: 'van der', familyName: 'Meer', familyNameFirst: false })).toBe('Sanne van der Meer');
    expect(fullName({ givenNames: 'Zoë', namePrefix: '', familyName: 'Şahin-Łukasiewicz', familyNameFirst: false })).toBe('Zoë Şahin-Łukasiewicz');
  });

  it('puts the family name first where the name is written so', () => {
    expect(fullName({ givenNames: 'Thị Minh Khai', namePrefix: '', familyName: 'Nguyễn', familyNameFirst: true })).toBe('Nguyễn Thị Minh Khai');
  });

  it('shows what is left of an erased name without stray spaces', () => {
    expect(fullName({ givenNames: '', namePrefix: '', familyName: '', familyNameFirst: false })).toBe('');
  });
});

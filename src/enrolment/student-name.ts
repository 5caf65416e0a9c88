/** "Zoë van der Berg": given names, prefix and family name as a letter or a diploma writes them. */
export function fullName(student: { givenNames: string; namePrefix: string; familyName: string; familyNameFirst: boolean }): string {
  const parts = student.familyNameFirst
    ? [student.namePrefix, student.familyName, student.givenNames]
    : [student.givenNames, student.namePrefix, student.familyName];
  return parts.filter((part) => part.trim() !== '').join(' ');
}

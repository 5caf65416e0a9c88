import { randomUUID } from 'node:crypto';

/** A unique course code for a test. */
export const uniqueCode = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

/** A complete, valid course request; override what a test is about. */
export function courseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: uniqueCode('PCZ'),
    titleNl: 'Post-hbo Coaching in de zorg',
    titleEn: 'Post-bachelor Coaching in Healthcare',
    descriptionNl: 'Leer zorgprofessionals begeleiden met oplossingsgerichte gesprekstechnieken.',
    descriptionEn: 'Learn to guide healthcare professionals with solution-focused conversation techniques.',
    discipline: 'Zorg',
    keywords: ['coaching', 'verpleegkunde', 'intervisie'],
    studyLoadHours: 120,
    ects: 4.5,
    pePoints: [{ register: 'V&VN Kwaliteitsregister', points: 40 }],
    tuitionCents: 249_500,
    tuitionVat: 'exempt',
    otherFees: [{ kind: 'materials', description: 'Lesboek', amountCents: 4_950, vat: 'rate_9' }],
    minimumPriorEducation: 'hbo_bachelor',
    examComponents: [
      { name: 'Reflectieverslag', weight: 60 },
      { name: 'Praktijkopdracht', weight: 40, passMark: 6, maxAttempts: 3 },
    ],
    deliveryMode: 'on_site',
    defaultPattern: { weekdays: [2], startTime: '09:30', endTime: '16:30', count: 8, intervalWeeks: 1 },
    minParticipants: 8,
    maxParticipants: 16,
    ...overrides,
  };
}

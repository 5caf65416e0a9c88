import { Candidate, Intake, rankEditions, scoreEdition, searchTerms } from './advice-scoring';
import { checkEntry } from './entry-requirements';

const intake = (overrides: Partial<Intake> = {}): Intake => ({
  interests: 'coaching',
  goals: '',
  priorEducationLevel: 'hbo_bachelor',
  priorEducationField: '',
  preferredWeekdays: [],
  preferredDayparts: [],
  delivery: 'any',
  region: '',
  budgetCents: null,
  startFrom: null,
  startUntil: null,
  pePoints: [],
  ...overrides,
});

const candidate = (overrides: Partial<Candidate> = {}): Candidate => ({
  editionId: 'e1',
  editionCode: 'PCZ-2031-01',
  courseId: 'c1',
  courseCode: 'PCZ',
  courseTitleNl: 'Coaching in de zorg',
  courseTitleEn: 'Coaching in healthcare',
  startDate: '2031-03-04',
  weekdays: [2],
  startTime: '09:30',
  endTime: '16:30',
  online: false,
  locationName: 'Jaarbeurs',
  city: 'Utrecht',
  deliveryMode: 'on_site',
  priceCents: 249_500,
  capacity: 12,
  taken: 9,
  minimumPriorEducation: 'hbo_bachelor',
  prerequisiteCourseIds: [],
  prerequisiteTitles: [],
  pePoints: [{ register: 'Registerplein', points: 20 }],
  textRank: 1,
  matchedTerms: ['coaching'],
  ...overrides,
});

const open = { waitlistLimit: null, waiting: 0 };

describe('entry requirements', () => {
  it('accepts the levels at or above the minimum, and an intake where that is enough', () => {
    expect(checkEntry({ minimumPriorEducation: 'hbo_bachelor', prerequisiteCourseIds: [] }, 'wo_bachelor', new Set()).levelMet).toBe(true);
    expect(checkEntry({ minimumPriorEducation: 'hbo_bachelor', prerequisiteCourseIds: [] }, 'hbo_level_intake', new Set()).levelMet).toBe(false);
    expect(checkEntry({ minimumPriorEducation: 'hbo_level_intake', prerequisiteCourseIds: [] }, 'hbo_level_intake', new Set()).levelMet).toBe(true);
    expect(checkEntry({ minimumPriorEducation: 'wo_master', prerequisiteCourseIds: [] }, 'hbo_master', new Set()).levelMet).toBe(false);
    expect(checkEntry({ minimumPriorEducation: 'wo_master', prerequisiteCourseIds: [] }, null, new Set()).levelMet).toBeNull();
    expect(checkEntry({ minimumPriorEducation: 'hbo_bachelor', prerequisiteCourseIds: ['a', 'b'] }, 'hbo_bachelor', new Set(['a'])).missingPrerequisiteIds).toEqual(['b']);
  });
});

describe('advice scoring', () => {
  it('scores only the parts the intake has preferences for, with plain reasons in Dutch', () => {
    const scored = scoreEdition(intake({ region: 'utrecht', preferredWeekdays: [2], budgetCents: 200_000 }), candidate(), new Set(), open, 'nl');
    expect(scored.parts).toEqual({
      text: { score: 1, weight: 40 },
      schedule: { score: 1, weight: 10 },
      region: { score: 1, weight: 10 },
      budget: { score: 0, weight: 10 },
    });
    expect(scored.score).toBe(85.7);
    expect(scored.reasons).toEqual([
      'Past bij uw interesse in coaching',
      'Vereist een hbo-bachelor: u voldoet',
      'Nog 3 plaatsen vrij',
      "Lesdagen op dinsdag 's ochtends, zoals u wenste",
      'In uw regio (utrecht)',
      'Boven uw budget (lesgeld €\u00a02.495,00)',
    ]);
    expect(scored.excludedBecause).toEqual([]);
  });

  it('says the same in English', () => {
    const scored = scoreEdition(intake({ delivery: 'online', startFrom: '2031-01-01', startUntil: '2031-06-30' }), candidate({ online: true, taken: 11 }), new Set(), open, 'en');
    expect(scored.reasons).toEqual([
      'Matches your interest in coaching',
      'Requires a bachelor of applied sciences (hbo): you meet this',
      '1 place left',
      'Starts within your preferred period (March 4, 2031)',
      'Entirely online',
    ]);
  });

  it('excludes by the hard rules and says why: entry level, prerequisites, full without waitlist, start after the window', () => {
    const scored = scoreEdition(
      intake({ priorEducationLevel: 'mbo', startUntil: '2031-01-31' }),
      candidate({ taken: 12, prerequisiteCourseIds: ['x'], prerequisiteTitles: ['Basis coaching'] }),
      new Set(),
      { waitlistLimit: 0, waiting: 0 },
      'nl',
    );
    expect(scored.excludedBecause).toEqual([
      'Vereist een hbo-bachelor: u voldoet daar niet aan',
      'Vereist eerst Basis coaching',
      'Vol, en er is geen wachtlijst',
      'Start pas na uw gewenste periode (4 maart 2031)',
    ]);
  });

  it('ranks by score, keeps the excluded apart, and rates text relative to the best match', () => {
    const result = rankEditions(
      intake(),
      [candidate({ editionId: 'weak', textRank: 0.2 }), candidate({ editionId: 'best', textRank: 0.8 }), candidate({ editionId: 'full', taken: 12, textRank: 0.8 })],
      new Set(),
      (id) => (id === 'full' ? { waitlistLimit: 0, waiting: 0 } : open),
      'nl',
      5,
    );
    expect(result.ranked.map((r) => [r.editionId, r.score])).toEqual([['best', 100], ['weak', 25]]);
    expect(result.excluded.map((r) => r.editionId)).toEqual(['full']);
    expect(result.excludedTotal).toBe(1);
  });

  it('turns free text into search words without search syntax', () => {
    expect(searchTerms('Coaching -of "zorg" | ouderen!', 'Zoë')).toEqual(['coaching', 'of', 'zorg', 'ouderen', 'zoë']);
  });
});

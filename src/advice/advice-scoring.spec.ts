import { assess, describe as describeEdition, EXCLUDED_SHOWN, firstByScore, Intake, rankEditions, RankingContext, searchTerms } from './advice-scoring';
import { Candidate, CandidateCourse, CandidateTable } from './candidate-table';
import { checkEntry } from '../enrolment/entry-requirements';

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

const course = (overrides: Partial<CandidateCourse> = {}): CandidateCourse => ({
  courseId: 'c1',
  courseCode: 'PCZ',
  courseTitleNl: 'Coaching in de zorg',
  courseTitleEn: 'Coaching in healthcare',
  deliveryMode: 'on_site',
  minimumPriorEducation: 'hbo_bachelor',
  prerequisiteCourseIds: [],
  prerequisiteTitles: [],
  pePoints: [{ register: 'Registerplein', points: 20 }],
  ...overrides,
});

const candidate = (overrides: Partial<Candidate> = {}, courseOverrides: Partial<CandidateCourse> = {}): Candidate => ({
  editionId: 'e1',
  editionCode: 'PCZ-2031-01',
  course: course(courseOverrides),
  startDate: '2031-03-04',
  weekdays: [2],
  startTime: '09:30',
  online: false,
  locationName: 'Jaarbeurs',
  city: 'Utrecht',
  priceCents: 249_500,
  capacity: 12,
  taken: 9,
  waiting: 0,
  ...overrides,
});

/** A ranking context where each course (by id) has the given text rank; `c1`, the default course, ranks 1. */
const context = (ranks: Record<string, number> = { c1: 1 }, overrides: Partial<RankingContext> = {}): RankingContext => ({
  completedCourseIds: new Set<string>(),
  waitlistLimit: null,
  textMatches: new Map(Object.entries(ranks).map(([courseId, rank]) => [courseId, { rank, terms: ['coaching'] }])),
  ...overrides,
});
const open = context();
const table = (...candidates: Candidate[]) => new CandidateTable(candidates);

/** One edition assessed and described, its text rank taken as relative to 1 unless the best is given. */
const scoreEdition = (intake: Intake, candidate: Candidate, context: RankingContext, locale: 'nl' | 'en', bestTextRank = 1) =>
  describeEdition(intake, assess(intake, candidate, context, bestTextRank), locale);
/** A candidate of its own course, which ranks `textRank` for the intake's text. */
const ranked = (textRank: number, overrides: Partial<Candidate>, ranks: Record<string, number>) => {
  const id = `course-${overrides.editionId}`;
  ranks[id] = textRank;
  return candidate(overrides, { courseId: id });
};

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
    const scored = scoreEdition(intake({ region: 'utrecht', preferredWeekdays: [2], budgetCents: 200_000 }), candidate(), open, 'nl');
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
    const scored = scoreEdition(intake({ delivery: 'online', startFrom: '2031-01-01', startUntil: '2031-06-30' }), candidate({ online: true, taken: 11 }), open, 'en');
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
      candidate({ taken: 12 }, { prerequisiteCourseIds: ['x'], prerequisiteTitles: [{ courseTitleNl: 'Basis coaching', courseTitleEn: null }] }),
      context({ c1: 1 }, { waitlistLimit: 0 }),
      'nl',
    );
    expect(scored.excludedBecause).toEqual([
      'Vereist een hbo-bachelor: u voldoet daar niet aan',
      'Vereist eerst Basis coaching',
      'Vol, en er is geen wachtlijst',
      'Start pas na uw gewenste periode (4 maart 2031)',
    ]);
  });

  it('leaves a level below hbo working level to an intake instead of excluding, as enrolment does', () => {
    const forIntake = scoreEdition(intake({ priorEducationLevel: 'mbo' }), candidate({}, { minimumPriorEducation: 'hbo_level_intake' }), open, 'nl');
    expect(forIntake.excludedBecause).toEqual([]);
    expect(forIntake.reasons).toContain('Vereist hbo-werk- en denkniveau (vast te stellen in een intake): een intake beslist over uw toelating');
    const forDegree = scoreEdition(intake({ priorEducationLevel: 'mbo' }), candidate(), open, 'en');
    expect(forDegree.excludedBecause).toEqual(['Requires a bachelor of applied sciences (hbo): you do not meet this']);
  });

  it('ranks by score, keeps the excluded apart, and rates text relative to the best match', () => {
    const ranks: Record<string, number> = {};
    const result = rankEditions(
      intake(),
      table(
        ranked(0.2, { editionId: 'weak' }, ranks),
        ranked(0.8, { editionId: 'best' }, ranks),
        ranked(0.8, { editionId: 'full', taken: 12, waiting: 1 }, ranks),
        ranked(0.4, { editionId: 'waitlist', taken: 12 }, ranks),
      ),
      context(ranks, { waitlistLimit: 1 }),
      'nl',
      5,
    );
    expect(result.ranked.map((r) => [r.editionId, r.score])).toEqual([['best', 100], ['waitlist', 50], ['weak', 25]]);
    expect(result.ranked[1].reasons).toContain('Vol: u komt op de wachtlijst');
    expect(result.ranked[1]).not.toHaveProperty('excludedBecause');
    expect(result.excluded.map((r) => [r.editionId, r.excludedBecause])).toEqual([['full', ['Vol, en er is geen wachtlijst']]]);
    expect(result.excludedTotal).toBe(1);
  });

  it('answers the top `limit`, shows the best excluded ones by would-be score, then start and code, and counts the rest', () => {
    const ranks: Record<string, number> = {};
    const late = Array.from({ length: EXCLUDED_SHOWN + 10 }, (_, i) =>
      ranked(i < 4 ? 1 : 0.5, { editionId: `late-${i}`, editionCode: `L-${String(i).padStart(2, '0')}`, startDate: i % 2 === 0 ? '2031-09-01' : '2031-08-01' }, ranks),
    );
    const fitting = Array.from({ length: 8 }, (_, i) => ranked((i + 1) / 8, { editionId: `fit-${i}`, editionCode: `F-${i}` }, ranks));
    const result = rankEditions(intake({ startUntil: '2031-06-30' }), table(...late, ...fitting), context(ranks), 'en', 3);
    expect(result.ranked.map((r) => r.editionId)).toEqual(['fit-7', 'fit-6', 'fit-5']);
    expect(result.excludedTotal).toBe(EXCLUDED_SHOWN + 10);
    expect(result.excluded).toHaveLength(EXCLUDED_SHOWN);
    expect(result.excluded.slice(0, 6).map((r) => r.editionId)).toEqual(['late-1', 'late-3', 'late-0', 'late-2', 'late-5', 'late-7']);
    expect(result.excluded[0].excludedBecause).toEqual(['Starts after your preferred period (August 1, 2031)']);
  });

  it('ranks each edition exactly as it assesses that edition alone, whatever was ranked before it', () => {
    // Ranking reuses one record for every edition: nothing of one edition may carry over to the next.
    const ranks: Record<string, number> = {};
    const kinds: Array<[Partial<Candidate>, Partial<CandidateCourse>]> = [
      [{ startDate: '2031-02-01', weekdays: [1, 3], city: 'Amersfoort', priceCents: 310_000 }, { minimumPriorEducation: 'wo_master' }],
      [{ online: true, city: '', locationName: 'Online', startTime: '19:00' }, { deliveryMode: 'online', pePoints: [] }],
      [{ taken: 12, waiting: 3 }, { prerequisiteCourseIds: ['basis'], prerequisiteTitles: [{ courseTitleNl: 'Basis', courseTitleEn: null }] }],
      [{ startDate: '2031-12-01', weekdays: [5], startTime: '13:30' }, { deliveryMode: 'blended' }],
      [{ priceCents: 199_000, city: 'Utrecht' }, {}],
    ];
    const candidates = Array.from({ length: 40 }, (_, i) => {
      const [edition, course] = kinds[(i * 3) % kinds.length];
      const c = ranked(((i % 4) + 1) / 4, { editionId: `e${i}`, editionCode: `E-${i}`, ...edition }, ranks);
      return { ...c, course: { ...c.course, ...course } };
    });
    const want = intake({ preferredWeekdays: [1], preferredDayparts: ['morning'], delivery: 'on_site', region: 'utrecht', budgetCents: 250_000, startFrom: '2031-03-01', startUntil: '2031-10-31', pePoints: [{ register: 'Registerplein', points: 10 }] });
    const result = rankEditions(want, table(...candidates), context(ranks, { waitlistLimit: 2 }), 'nl', 40);
    const alone = (editionId: string) => scoreEdition(want, candidates.find((c) => c.editionId === editionId)!, context(ranks, { waitlistLimit: 2 }), 'nl');
    const inOrder = (excluded: boolean) =>
      candidates
        .map((c) => alone(c.editionId))
        .filter((e) => (e.excludedBecause.length > 0) === excluded)
        .sort((a, b) => b.score - a.score || a.startDate.localeCompare(b.startDate) || a.editionCode.localeCompare(b.editionCode));
    expect(result.ranked).toEqual(inOrder(false).map(({ excludedBecause: _, ...edition }) => edition));
    expect(result.excluded).toEqual(inOrder(true));
    expect(result.ranked.length).toBeGreaterThan(5);
    expect(result.excluded.length).toBeGreaterThan(5);
  });

  it('assesses without words, and describes an assessment as scoreEdition does', () => {
    const want = intake({ priorEducationLevel: null, delivery: 'online', region: 'Amersfoort', pePoints: [{ register: 'registerplein', points: 40 }] });
    const blended = candidate({}, { deliveryMode: 'blended', prerequisiteCourseIds: ['basis'], prerequisiteTitles: [{ courseTitleNl: 'Basis coaching', courseTitleEn: null }] });
    const done = context({ c1: 0.5 }, { completedCourseIds: new Set(['basis']) });
    const assessment = assess(want, blended, done, 0.5);
    expect(assessment).toMatchObject({ levelMet: null, prerequisitesMissing: false, seats: 'free', seatsLeft: 3, near: false, online: false, excluded: false });
    expect(assessment.parts).toEqual({ text: { score: 1, weight: 40 }, delivery: { score: 0.5, weight: 10 }, region: { score: 0, weight: 10 }, pePoints: { score: 0.5, weight: 10 } });
    expect(assessment.score).toBe(71.4);
    expect(describeEdition(want, assessment, 'nl').reasons).toEqual([
      'Past bij uw interesse in coaching',
      'Vereist een hbo-bachelor: nog na te gaan',
      'Nog 3 plaatsen vrij',
      'Deels online, deels op locatie in Utrecht',
      'Levert 20 PE-punten op voor registerplein',
    ]);
    expect(describeEdition(want, assessment, 'en')).toEqual(scoreEdition(want, blended, done, 'en', 0.5));
  });

  it('picks the first by score, then start, then code, exactly as a stable sort would', () => {
    const dates = ['2031-03-04', '2031-02-01', '2031-03-04', '2030-12-31'];
    const ranks: Record<string, number> = {};
    const candidates = Array.from({ length: 300 }, (_, i) => ranked(((i * 13) % 5) / 4, { editionId: `e${i}`, editionCode: `C-${(i * 37) % 11}`, startDate: dates[(i * 7) % 4] }, ranks));
    const assessed = candidates.map((c) => assess(intake(), c, context(ranks), 1));
    const sorted = [...assessed].sort(
      (a, b) => b.score - a.score || a.candidate.startDate.localeCompare(b.candidate.startDate) || a.candidate.editionCode.localeCompare(b.candidate.editionCode),
    );
    const scores = Float64Array.from(assessed, (a) => a.score);
    const rows = candidates.map((_, row) => row);
    for (const count of [0, 1, 5, 50, 300, 400]) {
      expect(firstByScore(table(...candidates), scores, rows, count).map((row) => candidates[row].editionId)).toEqual(sorted.slice(0, count).map((a) => a.candidate.editionId));
    }
  });

  it('turns free text into search words without search syntax', () => {
    expect(searchTerms('Coaching -of "zorg" | ouderen!', 'Zoë')).toEqual(['coaching', 'of', 'zorg', 'ouderen', 'zoë']);
    expect(searchTerms('Ik wil graag leren bemiddelen tussen mensen', 'I want to learn mediation')).toEqual(['ik', 'wil', 'bemiddelen', 'to', 'mediation']);
  });
});

import { CatalogueText, CourseLexemes, IntakeWord, Section } from './advice-text';

/** A course whose Dutch and English lexemes (as PostgreSQL's `dutch` and `english` stem them) are in the given sections. */
const course = (courseId: string, nl: Record<string, Section>, en: Record<string, Section> = {}): CourseLexemes => ({ courseId, nl, en });
/** An intake word with its Dutch lexeme, and its English one (the same unless given; none: a stop word). */
const word = (text: string, nl: string | null, en: string | null = nl): IntakeWord => ({ word: text, nl: nl === null ? [] : [nl], en: en === null ? [] : [en] });

/** Every course but the debt course is a "Post-hbo" course about care; the debt course speaks of "schulden" only. */
const CATALOGUE = new CatalogueText([
  course('debt', { schuld: 'A', geldzorg: 'C', budget: 'C' }, { debt: 'A' }),
  course('palliative', { 'post-hbo': 'A', post: 'A', hbo: 'A', palliatiev: 'A', zorg: 'A', verpleegkund: 'C', levenseind: 'B' }),
  course('coaching', { 'post-hbo': 'A', post: 'A', hbo: 'A', coach: 'A', zorg: 'A', verpleegkund: 'B', collega: 'C' }),
  course('educator', { 'post-hbo': 'A', post: 'A', hbo: 'A', praktijkopleider: 'A', zorg: 'A', werkbegeleid: 'B' }),
  course('privacy', { privacy: 'B', persoonsgegeven: 'C', gegevensbescherm: 'A' }, { privacy: 'B', data: 'C' }),
  course('mortgage', { hypothek: 'B', pensioen: 'B', adviseur: 'A' }, { mortgag: 'C' }),
]);

const ranking = (...words: IntakeWord[]) => [...CATALOGUE.match(words)].sort((a, b) => b[1].rank - a[1].rank);

describe('matching an intake against the catalogue', () => {
  it('finds a course on "schulden" for Dutch compounds of it, naming the intake\'s own words', () => {
    for (const [text, stem] of [['schuldhulpverlening', 'schuldhulpverlen'], ['schuldeisers', 'schuldeiser'], ['schuldsanering', 'schuldsaner'], ['schuldhulptrajecten', 'schuldhulptraject']]) {
      const [[top, match]] = ranking(word('ik', null, 'ik'), word(text, stem));
      expect([top, match.terms]).toEqual(['debt', [text]]);
    }
  });

  it('finds the compounds in the catalogue that contain the intake\'s word, and compounds that share a part with it', () => {
    expect(ranking(word('pensioenfonds', 'pensioenfond'))[0][0]).toBe('mortgage');
    // "hypotheek" stems to "hypothek", "hypotheekaanvraag" keeps its double "ee".
    expect(ranking(word('hypotheekaanvraag', 'hypotheekaanvrag'))[0][0]).toBe('mortgage');
    expect(ranking(word('levenseindezorg', 'levenseindezorg'))[0][0]).toBe('palliative');
    expect(ranking(word('persoonsgegevensbeleid', 'persoonsgegevensbeleid'))[0][0]).toBe('privacy');
    expect(ranking(word('werkbegeleider', 'werkbegeleider'))[0][0]).toBe('educator');
    // "klant|gegevens" and "gegevens|bescherming" share a part.
    expect(ranking(word('klantgegevens', 'klantgegeven'))[0][0]).toBe('privacy');
  });

  it('ranks an exact match above a compound one, and neither too short a part nor a mere inflection as a compound', () => {
    const [[, exact]] = ranking(word('schulden', 'schuld'));
    const [[, compound]] = ranking(word('schuldeisers', 'schuldeiser'));
    expect(exact.rank).toBeGreaterThan(compound.rank);
    expect(ranking(word('hbodiploma', 'hbodiploma'))).toEqual([]);
    expect(CATALOGUE.match([word('budgetten', 'budgett')]).has('debt')).toBe(false);
  });

  it('lets no word that many courses share decide, nor names it: a letter in the post is not a post-hbo course', () => {
    const ranked = ranking(word('post', 'post'), word('brieven', 'brief', 'brieven'), word('persoonsgegevens', 'persoonsgegeven'));
    expect(ranked[0]).toEqual(['privacy', { rank: expect.any(Number), terms: ['persoonsgegevens'] }]);
    const postHbo = ranked.filter(([id]) => ['palliative', 'coaching', 'educator'].includes(id));
    expect(postHbo.map(([, match]) => match.terms)).toEqual([[], [], []]);
    expect(postHbo[0][1].rank).toBeLessThan(ranked[0][1].rank / 2);
  });

  it('ranks the palliative course above coaching when the intake names what only it is about, besides what both share', () => {
    const ranked = ranking(word('verpleegkundige', 'verpleegkund'), word('zorg', 'zorg'), word('levenseinde', 'levenseind'));
    expect(ranked.map(([id]) => id).slice(0, 2)).toEqual(['palliative', 'coaching']);
    expect(ranked[0][1].terms).toEqual(['levenseinde', 'verpleegkundige']);
  });

  it('names the words by what they add, those in the title first', () => {
    const [[, match]] = ranking(word('budget', 'budget'), word('schulden', 'schuld'));
    expect(match.terms).toEqual(['schulden', 'budget']);
  });

  it('leaves out the stop words of the intake\'s own language: "de" is English to PostgreSQL, not to a Dutch intake', () => {
    const catalogue = new CatalogueText([course('mediation', { conflict: 'C' }, { de: 'C', escal: 'C' }), course('other', { conflict: 'C' })]);
    expect(catalogue.match([word('ik', null, 'ik'), word('de', null, 'de'), word('en', null, 'en')]).size).toBe(0);
    const english = [word('how', 'how', null), word('to', 'to', null), word('de', null, 'de'), word('escalate', 'escalat', 'escal')];
    expect(catalogue.match(english).get('mediation')?.terms).toEqual(['de', 'escalate']);
  });

  it('matches English intakes on the English text, compounds included', () => {
    const catalogue = new CatalogueText([course('mediation', {}, { neighbourhood: 'C', conflict: 'B' }), course('debt', {}, { debt: 'A' })]);
    expect([...catalogue.match([word('neighbours', 'neighbour')]).keys()]).toEqual(['mediation']);
  });
});

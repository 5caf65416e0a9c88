import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../../src/database/scratch-database';
import { DEMO_STAFF } from '../../src/demo/demo-institute';
import { DemoSeeder } from '../../src/demo/demo.seeder';
import { bearer, createTestApp, TestApp } from '../test-app';

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): mail to them reaches no one. */
const RESERVED_DOMAIN = /(^|\.)(example|test|invalid|localhost)$|^example\.(com|net|org)$/;

/** Intakes as an advisor would type them, and the demo course each should rank first. */
const INTAKES: Array<[course: string, locale: 'nl' | 'en', interests: string, level: string]> = [
  ['RMED', 'nl', "Ik wil leren bemiddelen bij conflicten tussen collega's en mediator worden", 'wo_bachelor'],
  ['SHV', 'nl', 'Ik werk bij de gemeente met mensen met schulden en geldzorgen', 'hbo_bachelor'],
  ['AVG', 'nl', 'Ik word verantwoordelijk voor privacy en datalekken in onze organisatie', 'hbo_bachelor'],
  ['PALZ', 'nl', 'Ik zorg voor patiënten in de laatste levensfase en wil meer weten over pijnbestrijding', 'hbo_bachelor'],
  ['PRZ', 'nl', 'Ik begeleid stagiairs op mijn afdeling en wil beter leren beoordelen', 'mbo'],
  ['LGV', 'nl', 'Ik ben net teamleider geworden en wil beter leidinggeven', 'hbo_bachelor'],
  ['MGV', 'nl', 'Hoe motiveer ik cliënten om hun gedrag te veranderen?', 'hbo_bachelor'],
  ['PDO', 'nl', 'Ik ben leraar en heb leerlingen met gedragsproblemen in de klas', 'hbo_bachelor'],
  ['WFT-AF', 'nl', 'Ik wil financieel adviseur worden voor hypotheken en pensioen', 'hbo_bachelor'],
  ['PCZ', 'nl', "Als verpleegkundige wil ik mijn collega's coachen", 'hbo_bachelor'],
  ['RMED', 'en', 'I want to mediate disputes and resolve conflicts between parties', 'wo_master'],
  ['AVG', 'en', 'I need to become our data protection officer for GDPR compliance', 'hbo_bachelor'],
  ['PALZ', 'en', 'I care for dying patients and want to learn about palliative care and pain relief', 'hbo_bachelor'],
  ['SHV', 'en', 'I help families in poverty who are struggling with debts', 'hbo_bachelor'],
  ['LGV', 'en', 'I recently became a manager and want to develop my leadership', 'hbo_bachelor'],
  ['MGV', 'en', 'Motivational interviewing to help clients change their behaviour', 'hbo_bachelor'],
  ['PDO', 'en', 'I am a teacher with pupils who need extra support for their behaviour', 'hbo_bachelor'],
  ['WFT-AF', 'en', 'I want to advise clients on mortgages and pensions', 'hbo_bachelor'],
  ['PCZ', 'en', 'As a nurse I want to coach my colleagues and lead peer review', 'hbo_bachelor'],
  ['PRZ', 'en', 'I supervise nursing students and trainees on my ward', 'hbo_bachelor'],
];

/**
 * Intakes written without reading the course texts, of the kinds that once missed: Dutch
 * compounds of what a course names otherwise, "post" (letters) beside every "Post-hbo" title, a
 * nurse's intake that coaching shares words with; each with the course it should rank first and
 * a word its reason should name.
 */
const HELD_OUT: Array<[course: string, locale: 'nl' | 'en', interests: string, named: string]> = [
  ['SHV', 'nl', 'Ik werk als consulent bij de gemeente en begeleid schuldhulpverleningstrajecten', 'schuldhulpverleningstrajecten'],
  ['SHV', 'nl', 'Mijn cliënten worden gebeld door schuldeisers en deurwaarders en weten niet waar ze moeten beginnen', 'schuldeisers'],
  ['SHV', 'nl', 'Ik wil me specialiseren in schuldsanering en budgetbegeleiding', 'schuldsanering'],
  ['SHV', 'nl', 'Ik doe vrijwilligerswerk bij een schuldhulpmaatje-project', 'schuldhulpmaatje'],
  ['SHV', 'nl', 'Veel cliënten openen hun post niet meer en zitten diep in de schulden', 'schulden'],
  ['AVG', 'nl', 'Ik sorteer op kantoor de post en brieven van cliënten en wil weten hoe ik met hun persoonsgegevens om moet gaan', 'persoonsgegevens'],
  ['PALZ', 'nl', 'Ik ben verpleegkundige in een hospice en wil beter zorg geven aan stervende mensen en hun familie', 'hospice'],
  ['PALZ', 'nl', 'Als wijkverpleegkundige verzorg ik terminale patiënten thuis', 'terminale'],
  ['LGV', 'nl', 'Ik ben sinds kort leidinggevende van een team consulenten', 'leidinggevende'],
  ['PDO', 'nl', 'Als intern begeleider help ik leerkrachten met onrustige klassen', 'intern'],
  ['RMED', 'nl', 'Ik wil bemiddelaar worden bij burenruzies en echtscheidingen', 'bemiddelaar'],
  ['WFT-AF', 'nl', 'Ik werk bij een bank en wil klanten adviseren over hun hypotheekaanvraag en oudedagsvoorziening', 'hypotheekaanvraag'],
  ['PRZ', 'nl', 'Ik ben werkbegeleider van leerling-verpleegkundigen en moet ze ook beoordelen', 'werkbegeleider'],
  ['PCZ', 'nl', 'Ik wil intervisiebijeenkomsten voor mijn team van verpleegkundigen gaan leiden', 'intervisiebijeenkomsten'],
  ['PRZ', 'nl', 'Ik ben praktijkbegeleider op een verpleegafdeling en beoordeel de stages van hbo-v studenten', 'beoordeel'],
  ['SHV', 'en', 'I support families with unpaid bills and debt collectors at the door', 'debt'],
  ['AVG', 'en', 'I run the post room and archive of a hospital and must handle personal data safely', 'data'],
  ['PALZ', 'en', 'I am a hospice nurse supporting patients at the end of their life', 'hospice'],
  ['LGV', 'en', 'I was promoted to team lead and struggle with giving feedback to my team', 'lead'],
  ['MGV', 'en', 'How do I talk to clients who resist changing unhealthy habits?', 'resist'],
  ['RMED', 'en', 'Neighbours keep fighting and I want to help them reach an agreement', 'neighbours'],
  ['PDO', 'en', 'Our school wants to include children with autism and ADHD in regular classes', 'classes'],
  ['WFT-AF', 'en', 'I want to get certified to give mortgage and retirement advice', 'mortgage'],
  ['PALZ', 'en', 'I want to specialise in end-of-life care and symptom control', 'care'],
  ['AVG', 'en', 'Our company had a data breach and I need to understand privacy law', 'privacy'],
  ['MGV', 'en', 'I coach people who want to quit smoking and often meet resistance', 'resistance'],
  ['PDO', 'en', "I'm a special needs coordinator at a primary school", 'coordinator'],
  ['LGV', 'en', 'I manage a group of senior engineers and want to become a better leader', 'leader'],
];

describe('The demo institute', () => {
  let scratch: ScratchDatabase;
  let t: TestApp;
  let db: DataSource;
  let advisor: string;
  let dataDir: string;
  let accountsFile: string;
  let accounts: Array<{ role: string; email: string; password: string }>;

  beforeAll(async () => {
    // A database of its own: advice ranks every course, and other suites add theirs to the shared one.
    scratch = await createScratchDatabase('demo', process.env.REGISTRAR_TEST_DATABASE_URL);
    dataDir = mkdtempSync(join(tmpdir(), 'registrar-demo-'));
    // Seeded as at a first boot: into the empty database, the passwords into DATA_DIR.
    t = await createTestApp({ RUN_WORKER: 'false', SEED_DEMO: 'true', DATA_DIR: dataDir }, scratch.url);
    db = t.app.get(DataSource);
    accountsFile = join(dataDir, 'demo-accounts.txt');
    accounts = readFileSync(accountsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => {
        const [role, email, password] = line.trim().split(/\s+/);
        return { role, email, password };
      });
    const { email, password } = accounts.find((account) => account.role === 'advisor')!;
    advisor = (await t.http.post('/auth/login').send({ email, password }).expect(200)).body.accessToken;
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has exam sittings in every state, a resit with its fee, a special arrangement, published and unpublished results and a completed enrolment', async () => {
    const statuses = await db.query(`SELECT DISTINCT status FROM exam_sitting ORDER BY status`);
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'closed', 'held', 'open', 'planned']);
    const [resit] = await db.query(`SELECT attempt, fee_cents::int AS "feeCents" FROM exam_registration WHERE attempt > 1`);
    expect(resit).toEqual({ attempt: 2, feeCents: 12_500 });
    const [arranged] = await db.query(`SELECT extra_time_minutes AS "extra", separate_room AS "separate" FROM exam_registration WHERE extra_time_minutes > 0`);
    expect(arranged).toEqual({ extra: 30, separate: true });
    const [{ published, unpublished }] = await db.query(
      `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM exam_result`,
    );
    expect(published).toBeGreaterThan(0);
    expect(unpublished).toBeGreaterThan(0);
    const completed = await db.query(`SELECT final_grade::float AS "finalGrade" FROM enrolment WHERE status = 'completed'`);
    expect(completed).toContainEqual({ finalGrade: 8 });
  });

  it('keeps every seeded account in DATA_DIR/demo-accounts.txt, readable by its owner only, and says so when the server is up', async () => {
    expect(statSync(accountsFile).mode & 0o777).toBe(0o600);
    const roles = accounts.map((account) => account.role);
    expect(roles.slice(0, DEMO_STAFF.length)).toEqual(DEMO_STAFF.map((staff) => staff.role));
    expect(roles).toEqual(expect.arrayContaining(['teacher', 'student']));
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM user_account`);
    expect(accounts).toHaveLength(count);
    for (const { email, password } of [accounts[0], accounts.find((a) => a.role === 'teacher')!, accounts.find((a) => a.role === 'student')!]) {
      await t.http.post('/auth/login').send({ email, password }).expect(200);
    }
    const notice = t.app.get(DemoSeeder).bootNotice()!;
    expect(notice).toContain(`kept in ${accountsFile}, readable only by you`);
    for (const { role, email, password } of accounts) expect(notice).toMatch(new RegExp(`^  ${role} +${email.replace(/[.]/g, '\\.')} +${password}$`, 'm'));
  });

  it('uses only reserved example domains, so a configured SMTP server mails no one real', async () => {
    const rows: Array<{ address: string }> = await db.query(`
      SELECT email AS address FROM user_account
      UNION SELECT email FROM student WHERE email IS NOT NULL
      UNION SELECT email FROM teacher
      UNION SELECT contact_email FROM billing_party WHERE contact_email IS NOT NULL
      UNION SELECT email FROM institute_settings
      UNION SELECT to_email FROM mail_message`);
    const domains = new Set(rows.map(({ address }) => address.split('@')[1]));
    const [{ website }] = await db.query(`SELECT website FROM institute_settings`);
    domains.add(new URL(website).hostname);
    expect(domains.size).toBeGreaterThan(3);
    expect([...domains].filter((domain) => !RESERVED_DOMAIN.test(domain))).toEqual([]);
  });

  it('has invoices in every state for a private payer and a Peppol employer, an overpayment applied as credit, and one invoice run with its report', async () => {
    const rows = (await db.query(
      `SELECT i.kind, i.status, i.due_date < current_date AS past_due, i.reminder_level, i.wants_einvoice, i.buyer->>'kind' AS buyer
         FROM invoice i`,
    )) as { kind: string; status: string; past_due: boolean; reminder_level: number; wants_einvoice: boolean; buyer: string | null }[];
    const invoices = rows.filter((row) => row.kind === 'invoice');
    for (const status of ['draft', 'issued', 'partially_paid', 'paid', 'credited']) expect(invoices.map((row) => row.status)).toContain(status);
    expect(invoices.some((row) => row.past_due && row.reminder_level === 1 && row.buyer === 'student')).toBe(true);
    expect(invoices.some((row) => row.wants_einvoice && row.buyer === 'employer')).toBe(true);
    expect(rows.some((row) => row.kind === 'credit_note')).toBe(true);
    const [{ applied }] = await db.query(`SELECT count(*)::int AS applied FROM payment WHERE method = 'credit' AND credit_source_id IS NOT NULL`);
    expect(applied).toBe(1);
    const [batch] = (await db.query(`SELECT status, report FROM invoice_batch`)) as { status: string; report: { billed: unknown[]; skipped: unknown[]; failed: unknown[] } }[];
    expect(batch.status).toBe('completed');
    expect(batch.report.billed.length).toBeGreaterThan(0);
  });

  it.each(INTAKES)('ranks %s first for a %s intake: "%s"', async (course, locale, interests, priorEducationLevel) => {
    const response = await t.http.post('/advice').set(bearer(advisor)).send({ interests, locale, priorEducationLevel, limit: 3 }).expect(201);
    const [top] = response.body.result.ranked;
    expect(top.courseCode).toBe(course);
    expect(top.reasons[0]).toMatch(locale === 'nl' ? /^Past bij uw interesse in / : /^Matches your interest in /);
  });

  it.each(HELD_OUT)('ranks %s first for a held-out %s intake: "%s", naming "%s"', async (course, locale, interests, named) => {
    const response = await t.http.post('/advice').set(bearer(advisor)).send({ interests, locale, priorEducationLevel: 'wo_master', limit: 3 }).expect(201);
    const [top, second] = response.body.result.ranked;
    expect(top.courseCode).toBe(course);
    expect(top.score).toBeGreaterThan(second.score);
    const [interest] = top.reasons;
    expect(interest).toMatch(locale === 'nl' ? /^Past bij uw interesse in / : /^Matches your interest in /);
    expect(interest).toContain(named);
    // Words the titles of many courses share ("Post-hbo", "Post-bachelor") are no reason.
    const interestReasons = response.body.result.ranked.flatMap((edition: { reasons: string[] }) => edition.reasons.filter((r) => /^(Past bij|Matches)/.test(r)));
    for (const reason of interestReasons) expect(reason).not.toMatch(/\b(post|hbo)\b/);
  });

  it('holds every state to try: a waitlist with a seat on offer, a late cancellation with its fee, applications awaiting admission', async () => {
    const counts: Array<{ status: string; pending: boolean; count: number }> = await db.query(
      `SELECT status, admission_pending AS pending, count(*)::int AS count FROM enrolment GROUP BY 1, 2`,
    );
    const count = (status: string, pending = false) => counts.find((c) => c.status === status && c.pending === pending)?.count ?? 0;
    expect(count('waitlisted')).toBeGreaterThan(0);
    expect(count('offered')).toBe(1);
    expect(count('received', true)).toBe(2);
    const [cancelled] = await db.query(`SELECT cancellation_fee_cents AS fee FROM enrolment WHERE status = 'cancelled'`);
    expect(Number(cancelled.fee)).toBeGreaterThan(0);
    const pending = await t.http.get('/enrolments?admissionPending=true').set(bearer(advisor)).expect(200);
    expect(pending.body.items.map((e: { status: string }) => e.status)).toEqual(['received', 'received']);
  });

  it('has diplomas to try: issued and mailed, revoked, reissued, one not earned, a ceremony with answers, and a page to open at once', async () => {
    const states: Array<{ state: string; count: number }> = await db.query(
      `SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN superseded_at IS NOT NULL THEN 'superseded' ELSE 'valid' END AS state, count(*)::int AS count
         FROM diploma GROUP BY 1 ORDER BY 1`,
    );
    expect(states).toEqual([
      { state: 'revoked', count: 1 },
      { state: 'superseded', count: 1 },
      { state: 'valid', count: 4 },
    ]);
    const [{ mailed }] = await db.query(`SELECT count(*)::int AS mailed FROM mail_message WHERE type = 'diploma-issued'`);
    expect(mailed).toBe(6);
    const answers: Array<{ answer: string | null; count: number }> = await db.query(`SELECT answer, count(*)::int AS count FROM ceremony_invitation GROUP BY 1 ORDER BY 1`);
    expect(answers).toEqual([
      { answer: 'no', count: 1 },
      { answer: 'yes', count: 2 },
      { answer: null, count: 1 },
    ]);
    const url = /A demo diploma's public check: (\S+)/.exec(t.app.get(DemoSeeder).bootNotice() ?? '')?.[1];
    expect(url).toMatch(/\/verify\/[A-Z2-7]{20}$/);
    const page = await t.http.get(new URL(url!).pathname).expect(200);
    expect(page.text).toContain('Dit diploma is geldig.');
    expect(page.text).toContain('Hoàng');
  });

  it('asks paid tuition for a diploma: every diploma issued stands on paid tuition, and one graduate waits for her employer to pay', async () => {
    const { email, password } = accounts.find((account) => account.role === 'coordinator')!;
    const coordinator = (await t.http.post('/auth/login').send({ email, password }).expect(200)).body.accessToken;
    expect((await t.http.get('/diploma-settings').set(bearer(coordinator)).expect(200)).body.requirePaidTuition).toBe(true);
    const [{ id: editionId }] = await db.query(`SELECT e.id FROM edition e JOIN course c ON c.id = e.course_id WHERE c.code = 'MGV' AND e.code LIKE 'MGV-%-00'`);
    const { candidates } = (await t.http.get(`/editions/${editionId}/diploma-candidates`).set(bearer(coordinator)).expect(200)).body;
    const blocked = candidates.filter((c: { reasons: { code: string }[] }) => c.reasons.some((r) => r.code === 'tuition_not_paid'));
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({ enrolmentStatus: 'completed', diplomaId: null, reasons: [{ code: 'tuition_not_paid' }] });
    for (const issued of candidates.filter((c: { diplomaId: string | null }) => c.diplomaId)) expect(issued.tuitionPaid).toBe(true);
  });
});

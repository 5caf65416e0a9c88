import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../../src/demo/demo-institute';
import { SettingsService } from '../../src/settings/settings.service';
import { launchChromium, overflowsSideways, watch } from '../browser';
import { mailsTo } from '../factories';
import { bearer, createTestApp, TestApp } from '../test-app';
import { cohort, daysFromToday, solidPng } from './factories';

type Language = 'nl' | 'en';
interface Issued {
  id: string;
  number: string;
  verificationCode: string;
  issueDate: string;
  revokedAt: string | null;
}

const PHONE = { width: 360, height: 740 };
const SCREENSHOTS = '/tmp/registrar-browser';
const COURSE = 'Post-hbo Leidinggeven aan Professionals';
const BIRTH_DATE = '1991-03-17';
const PHONE_NUMBER = '+31612345678';
const dateText = (language: Language, date: Date | string) =>
  new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(
    typeof date === 'string' && date.length === 10 ? new Date(`${date}T12:00:00Z`) : new Date(date),
  );

/**
 * The public pages opened as a person opens them: Chromium at a phone's width, the app
 * listening on a port. What is visible, in which language, with which status, and that the
 * page neither errs, nor calls another origin, nor scrolls sideways.
 */
describe('Public diploma pages in Chromium', () => {
  let t: TestApp;
  let db: DataSource;
  let origin: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages = {} as Record<Language, { page: Page; seen: ReturnType<typeof watch> }>;
  let coordinator: string;
  let planner: string;
  let emails: string[];
  let valid: Issued;
  let revoked: Issued;
  let superseded: Issued;
  let reissued: Issued;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp({ RUN_WORKER: 'false', VERIFY_RATE_PER_MINUTE: '1000' });
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    db = t.app.get(DataSource);
    const settings = t.app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    await settings.putImage('logo', { mediaType: 'image/png', data: solidPng(160, 48).toString('base64') });
    coordinator = (await t.signIn(['coordinator'])).token;
    planner = (await t.signIn(['planner'])).token;

    const group = await cohort(t, planner, { students: 3 });
    emails = group.students.map((s) => s.email);
    // Personal data the page must never show; the second student's name is written family name first.
    await db.query(`UPDATE student SET date_of_birth = $2, phone = $3, family_name_first = (family_name = 'Nguyễn') WHERE id = ANY($1::uuid[])`, [
      group.students.map((s) => s.studentId),
      BIRTH_DATE,
      PHONE_NUMBER,
    ]);
    const issue = async (studentId: string): Promise<Issued> =>
      (await t.http.post('/diplomas').set(bearer(coordinator)).send({ studentId, courseId: group.courseId, mail: false }).expect(201)).body.diploma;
    valid = await issue(group.students[0].studentId);
    revoked = await issue(group.students[1].studentId);
    revoked = (await t.http.post(`/diplomas/${revoked.id}/revoke`).set(bearer(coordinator)).send({ reason: 'Fraude' }).expect(200)).body;
    superseded = await issue(group.students[2].studentId);
    reissued = (await t.http.post(`/diplomas/${superseded.id}/reissue`).set(bearer(coordinator)).send({ reason: 'Verloren', mail: false }).expect(201)).body;

    for (const [language, locale] of [
      ['nl', 'nl-NL'],
      ['en', 'en-GB'],
    ] as const) {
      const context = await browser.newContext({ locale, viewport: PHONE });
      contexts.push(context);
      const page = await context.newPage();
      pages[language] = { page, seen: watch(page, origin) };
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.app.get(SettingsService).removeImage('logo');
    await t?.close();
  });

  /** Opens a path in the browser of a language (its Accept-Language); the response's status. */
  async function open(language: Language, path: string): Promise<{ page: Page; status: number; seen: ReturnType<typeof watch> }> {
    const { page, seen } = pages[language];
    seen.clear();
    const response = await page.goto(`${origin}${path}`);
    return { page, status: response!.status(), seen };
  }

  async function expectClean(page: Page, seen: ReturnType<typeof watch>, status: number) {
    // Chromium reports a document answered with 4xx as a failed resource; any other error counts.
    const errors = seen.errors.filter((e) => !(status >= 400 && e.startsWith(`Failed to load resource: the server responded with a status of ${status}`)));
    expect(errors).toEqual([]);
    expect(seen.foreignRequests).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
  }

  const visibleText = (page: Page) => page.locator('body').innerText();

  const TEXTS = {
    nl: {
      title: 'Controle van een diploma',
      valid: 'Dit diploma is geldig.',
      revoked: (date: string) => `Dit diploma is ingetrokken op ${date} en is niet langer geldig.`,
      superseded: 'Dit diploma is vervangen door een nieuwere versie en is niet langer geldig.',
      unknown: 'Er is geen diploma met deze code bekend.',
      malformed: 'Dit is geen geldige controlecode. Controleer de code op het diploma.',
      labels: ['Naam', 'Opleiding', 'Datum van uitreiking', 'Diplomanummer', 'Ingetrokken op'],
    },
    en: {
      title: 'Diploma check',
      valid: 'This diploma is valid.',
      revoked: (date: string) => `This diploma was revoked on ${date} and is no longer valid.`,
      superseded: 'This diploma was replaced by a newer version and is no longer valid.',
      unknown: 'No diploma with this code is known.',
      malformed: 'This is not a valid verification code. Please check the code on the diploma.',
      labels: ['Name', 'Course', 'Date of issue', 'Diploma number', 'Revoked on'],
    },
  };

  describe.each(['nl', 'en'] as const)('in %s (by Accept-Language)', (language) => {
    const texts = TEXTS[language];

    async function expectDiplomaPage(diploma: () => Issued, name: string, state: string, message: () => string, screenshot: string) {
      const { page, status, seen } = await open(language, `/verify/${diploma().verificationCode}`);
      expect(status).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      await expect(page.title()).resolves.toBe(`${texts.title} — ${DEMO_INSTITUTE.name}`);
      expect(await page.locator('#state').getAttribute('data-state')).toBe(state);
      expect(await page.locator('nav a[aria-current]').innerText()).toBe(language === 'nl' ? 'Nederlands' : 'English');
      expect(await page.locator('#state').innerText()).toBe(message());
      const [nameLabel, courseLabel, dateLabel, numberLabel, revokedLabel] = texts.labels;
      expect(await page.locator('dl > *').allInnerTexts()).toEqual([
        nameLabel,
        name,
        courseLabel,
        COURSE,
        dateLabel,
        dateText(language, diploma().issueDate),
        numberLabel,
        diploma().number,
        ...(diploma().revokedAt ? [revokedLabel, dateText(language, diploma().revokedAt!)] : []),
      ]);
      const text = await visibleText(page);
      for (const fact of [name, COURSE, diploma().number, message()]) expect(text).toContain(fact);
      // Nothing more personal, not even hidden in the markup.
      const html = await page.content();
      for (const personal of [...emails, BIRTH_DATE, dateText(language, BIRTH_DATE), '1991', PHONE_NUMBER, '612345678']) {
        expect(html).not.toContain(personal);
      }
      await expectClean(page, seen, 200);
      await page.screenshot({ path: `${SCREENSHOTS}/verify-${screenshot}-${language}.png`, fullPage: true });
    }

    it('says a valid diploma is valid, with the name, course, date and number', async () => {
      await expectDiplomaPage(() => valid, 'Zoë Şahin-Łukasiewicz', 'valid', () => texts.valid, 'valid');
    });

    it('says a revoked diploma was revoked, on which date', async () => {
      await expectDiplomaPage(() => revoked, 'Nguyễn Thị Minh Khai', 'revoked', () => texts.revoked(dateText(language, revoked.revokedAt!)), 'revoked');
    });

    it('says a replaced diploma is superseded, and its reissue valid', async () => {
      await expectDiplomaPage(() => superseded, 'Sanne de Vries', 'superseded', () => texts.superseded, 'superseded');
      await expectDiplomaPage(() => reissued, 'Sanne de Vries', 'valid', () => texts.valid, 'reissued');
    });

    it('answers 404 to an unknown code and 400 to a malformed one, showing no diploma', async () => {
      for (const [code, status, message, screenshot] of [
        ['AAAAAAAAAAAAAAAAAAAA', 404, texts.unknown, 'unknown'],
        ['not-a-code', 400, texts.malformed, 'malformed'],
      ] as const) {
        const { page, status: shown, seen } = await open(language, `/verify/${code}`);
        expect(shown).toBe(status);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        expect(await page.locator('#state').innerText()).toBe(message);
        expect(await page.locator('dl').count()).toBe(0);
        const text = await visibleText(page);
        for (const known of [valid, revoked, superseded, reissued]) expect(text).not.toContain(known.number);
        await expectClean(page, seen, status);
        await page.screenshot({ path: `${SCREENSHOTS}/verify-${screenshot}-${language}.png`, fullPage: true });
      }
    });
  });

  it('lets a reader switch the language on the page, whatever the browser asks for', async () => {
    const { page, seen } = await open('nl', `/verify/${revoked.verificationCode}`);
    await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#state').innerText()).toBe(TEXTS.en.revoked(dateText('en', revoked.revokedAt!)));
    await Promise.all([page.waitForURL(/lang=nl/), page.getByRole('link', { name: 'Nederlands' }).click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await page.locator('#state').innerText()).toBe(TEXTS.nl.revoked(dateText('nl', revoked.revokedAt!)));
    await expectClean(page, seen, 200);

    const english = await open('nl', `/verify/${valid.verificationCode}?lang=en`);
    expect(await english.page.locator('#state').innerText()).toBe(TEXTS.en.valid);
    const dutch = await open('en', `/verify/${valid.verificationCode}?lang=nl`);
    expect(await dutch.page.locator('#state').innerText()).toBe(TEXTS.nl.valid);
  });

  it('shows the page at a desktop width too', async () => {
    const { page, seen } = await open('nl', `/verify/${revoked.verificationCode}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await expectClean(page, seen, 200);
      await page.screenshot({ path: `${SCREENSHOTS}/verify-revoked-desktop.png`, fullPage: true });
    } finally {
      await page.setViewportSize(PHONE);
    }
  });

  it('takes a yes with guests on the ceremony invitation behind the mailed link', async () => {
    const inDays = (days: number, hour: number) => `${daysFromToday(days)}T${String(hour).padStart(2, '0')}:00:00Z`;
    const { body: ceremony } = await t.http
      .post('/ceremonies')
      .set(bearer(coordinator))
      .send({
        title: 'Diploma-uitreiking voorjaar',
        startsAt: inDays(30, 13),
        endsAt: inDays(30, 15),
        place: 'Aula, Jaarbeurs Utrecht',
        address: 'Jaarbeursplein 6, Utrecht',
        programme: '15.00 Ontvangst\n15.30 Uitreiking\n16.30 Borrel',
        capacity: 20,
        maxGuestsPerGraduate: 3,
        responseDeadline: inDays(20, 12),
        editionIds: [(await t.http.get(`/diplomas/${valid.id}`).set(bearer(coordinator)).expect(200)).body.editionId],
      })
      .expect(201);
    await t.http.post(`/ceremonies/${ceremony.id}/invitations`).set(bearer(coordinator)).expect(200);
    const [mail] = (await mailsTo(db, emails[0])).filter((m) => m.type === 'ceremony-invitation');
    const link = /https?:\/\/\S+\/ceremony-invitations\/[A-Za-z0-9_-]{32}/.exec(mail.text)![0];

    const { page, status, seen } = await open('nl', new URL(link).pathname);
    expect(status).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    const text = await visibleText(page);
    expect(text).toContain('Diploma-uitreiking voorjaar');
    expect(text).toContain('Beste Zoë Şahin-Łukasiewicz,');
    expect(text).toContain('Aula, Jaarbeurs Utrecht, Jaarbeursplein 6, Utrecht');
    await expectClean(page, seen, 200);
    await page.screenshot({ path: `${SCREENSHOTS}/invitation-nl.png`, fullPage: true });

    await page.getByLabel(/Aantal gasten/).fill('2');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Ja, ik kom' }).click()]);
    await page.locator('#answer').waitFor();
    expect(await page.locator('#answer').innerText()).toBe('U komt, met 2 gast(en). Tot dan!');
    await expectClean(page, seen, 200);
    await page.screenshot({ path: `${SCREENSHOTS}/invitation-answered-nl.png`, fullPage: true });

    const { invitations } = (await t.http.get(`/ceremonies/${ceremony.id}/invitations`).set(bearer(coordinator)).expect(200)).body;
    expect(invitations.find((i: { diplomaId: string }) => i.diplomaId === valid.id)).toMatchObject({ answer: 'yes', guests: 2, answeredAt: expect.any(String) });
  });
});

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import juice from 'juice';
import { MAIL_TEMPLATE_NAMES } from './mail-template-data';
import { LOCALES } from '../../kernel/locale';
import { InstituteForMail, MailTemplateError, MailTemplateInfo, MailTemplates } from './mail-templates';

const institute: InstituteForMail = {
  name: 'Instituut Voortgezet Hoger Onderwijs Utrecht',
  addressLines: ['Maliebaan 12', '3581 CN Utrecht'],
  phone: '030 123 45 67',
  email: 'info@ivho.example.nl',
  website: 'https://www.ivho.example.nl',
  logoSrc: 'cid:logo',
};

const MESSAGE_TYPES = [
  'advice',
  'ceremony-invitation',
  'course-interest-edition-opened',
  'diploma-issued',
  'edition-cancelled',
  'edition-confirmed',
  'enrolment-cancelled',
  'enrolment-confirmed',
  'enrolment-not-admitted',
  'enrolment-received',
  'enrolment-waitlisted',
  'exam-cancelled',
  'exam-changed',
  'exam-invitation',
  'exam-registration-withdrawn',
  'exam-reminder',
  'exam-results-published',
  'go-no-go-proposal',
  'invoice-issued',
  'invoice-reminder',
  'mail-test',
  'session-changed',
  'staff-digest',
  'staff-notification',
  'teacher-session-changed',
  'waitlist-promoted',
];

const REAL_DIRECTORY = resolve(process.cwd(), 'templates', 'mail');

/** How a text comes out of Handlebars' escaping ('=' too, which is harmless in a quoted attribute). */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/=/g, '&#x3D;');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The strings a reader must find in the mail: every top-level string of the sample data. */
function keyStrings(sampleData: Record<string, unknown>): string[] {
  return Object.values(sampleData).filter((value): value is string => typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(value));
}

describe('MailTemplates', () => {
  let templates: MailTemplates;
  beforeAll(async () => {
    templates = await MailTemplates.load();
  });

  it('loads every message type from templates/mail, each in Dutch and English', () => {
    expect(templates.list().map((info) => info.name)).toEqual(MESSAGE_TYPES);
    for (const info of templates.list()) {
      expect(info.locales).toEqual(['nl', 'en']);
      expect(info.description).not.toBe('');
      expect(info.variables.length).toBeGreaterThan(0);
      expect(templates.has(info.name)).toBe(true);
    }
    expect(templates.has('no-such-message')).toBe(false);
  });

  it('has a data type (MailTemplateData) for every template and a template for every type', () => {
    expect(MAIL_TEMPLATE_NAMES).toEqual(MESSAGE_TYPES);
    expect(templates.expectExactly(MAIL_TEMPLATE_NAMES)).toBe(templates);
    expect(() => templates.expectExactly(MAIL_TEMPLATE_NAMES.filter((n) => n !== 'advice'))).toThrow('"advice": has no data type in MailTemplateData');
    expect(() => templates.expectExactly([...MAIL_TEMPLATE_NAMES, 'invoice'])).toThrow('"invoice": has a data type in MailTemplateData but no folder');
  });

  describe.each(MESSAGE_TYPES)('%s', (name) => {
    let info: MailTemplateInfo;
    beforeAll(() => {
      info = templates.list().find((template) => template.name === name)!;
    });

    it.each(LOCALES)('renders its sample data in %s', (locale) => {
      const mail = templates.render(name, locale, info.sampleData, institute);

      expect(mail.subject.trim()).not.toBe('');
      expect(mail.subject).not.toMatch(/\n|&amp;|&#/);
      expect(mail.html).toMatch(/^<!DOCTYPE html>/);
      expect(mail.html).toContain(`<html lang="${locale}"`);
      expect(mail.html).toContain(escapeHtml(institute.name));
      expect(mail.html).not.toContain('<style>\n.'); // every class rule is inlined; only media queries stay
      expect(mail.text).toContain(institute.addressLines[1]);
      for (const value of keyStrings(info.sampleData)) {
        expect(mail.html).toContain(escapeHtml(value));
        expect(oneLine(mail.text)).toContain(oneLine(value));
      }
    });

    it('renders with only its required variables', () => {
      const required = Object.fromEntries(info.variables.filter((v) => v.required).map((v) => [v.name, info.sampleData[v.name]]));
      for (const locale of LOCALES) {
        expect(templates.render(name, locale, required, institute).text).not.toBe('');
      }
    });

    it('names a missing required variable', () => {
      const variable = info.variables.find((v) => v.required)!;
      const { [variable.name]: _left, ...data } = info.sampleData;
      expect(() => templates.render(name, 'en', data, institute)).toThrow(
        expect.objectContaining({ code: 'missing_variable', template: name, locale: 'en', variable: variable.name }),
      );
    });
  });

  it('writes dates, money and plurals in the language of the mail', () => {
    const data = templates.list().find((t) => t.name === 'enrolment-confirmed')!.sampleData;
    const nl = templates.render('enrolment-confirmed', 'nl', data, institute);
    const en = templates.render('enrolment-confirmed', 'en', data, institute);

    expect(nl.text).toContain('dinsdag 9 maart 2027');
    expect(nl.text).toContain('09:30–16:30');
    expect(nl.text).toContain('€ 2.895,00');
    expect(nl.text).toContain('3 lesdagen');
    expect(en.text).toContain('Tuesday 9 March 2027');
    expect(en.text).toContain('€2,895.00');
    expect(en.text).toContain('3 sessions');
  });

  it('shows an optional part only when it is given', () => {
    const data = templates.list().find((t) => t.name === 'enrolment-cancelled')!.sampleData;
    const withFee = templates.render('enrolment-cancelled', 'nl', data, institute);
    const { cancellationFeeCents: _fee, ...withoutFeeData } = data;
    const withoutFee = templates.render('enrolment-cancelled', 'nl', withoutFeeData, institute);

    expect(oneLine(withFee.text)).toContain('€ 125,00 annuleringskosten');
    expect(withoutFee.text).toContain('geen kosten');
    expect(withoutFee.text).not.toContain('€');
  });

  it('keeps line breaks of an advisor note and leaves the note out when absent', () => {
    const data = templates.list().find((t) => t.name === 'advice')!.sampleData;
    const withNote = templates.render('advice', 'en', { ...data, personalNote: 'First line\nSecond <b>line</b>' }, institute);
    const withoutNote = templates.render('advice', 'en', { ...data, personalNote: undefined }, institute);

    expect(withNote.html).toContain('First line<br>\nSecond &lt;b&gt;line&lt;/b&gt;');
    expect(withNote.text).toContain('First line\nSecond <b>line</b>');
    expect(withoutNote.html).not.toContain('class="note"');
  });

  it('escapes HTML in data and keeps it readable in the text part', () => {
    const data = templates.list().find((t) => t.name === 'enrolment-received')!.sampleData;
    const mail = templates.render('enrolment-received', 'nl', { ...data, studentName: '<script>alert("x")</script> & Co' }, institute);

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(mail.text).toContain('Beste <script>alert("x")</script> & Co,');
    expect(mail.subject).toBe('Wij hebben uw aanmelding voor Post-hbo Praktijkopleider in de Zorg ontvangen');
  });

  it('keeps diacritics as characters in the subject, the HTML and the text', () => {
    const data = templates.list().find((t) => t.name === 'staff-notification')!.sampleData;
    for (const name of ['Zoë Şahin-Łukasiewicz', 'Nguyễn Thị Minh Khai']) {
      const mail = templates.render('staff-notification', 'nl', { ...data, staffName: name, summary: `${name} heeft zich aangemeld` }, institute);
      expect(mail.subject).toBe(`Nieuwe aanmelding: ${name} heeft zich aangemeld`);
      expect(mail.html).toContain(`Beste ${name},`);
      expect(mail.text).toContain(`Beste ${name},`);
    }
  });

  it('shows the institute in header and footer, with the logo only when there is one', () => {
    const data = templates.list().find((t) => t.name === 'mail-test')!.sampleData;
    const withLogo = templates.render('mail-test', 'en', data, institute);
    const withoutLogo = templates.render('mail-test', 'en', data, { ...institute, logoSrc: undefined });

    expect(withLogo.html).toContain('src="cid:logo"');
    expect(withoutLogo.html).not.toContain('<img');
    expect(withLogo.text).toContain('Phone: 030 123 45 67');
    expect(withLogo.text).toContain('info@ivho.example.nl');
    expect(oneLine(withLogo.text)).toContain('nothing to unsubscribe from');
    expect(withLogo.text).not.toContain('cid:logo');
    expect(templates.render('mail-test', 'nl', data, institute).text).toContain('afmelden is daarom niet nodig');
  });

  describe('errors', () => {
    let data: Record<string, unknown>;
    beforeAll(() => {
      data = templates.list().find((t) => t.name === 'session-changed')!.sampleData;
    });

    it('tells an unknown template apart', () => {
      expect(() => templates.render('no-such-message', 'nl', {}, institute)).toThrow(
        expect.objectContaining({ name: 'MailTemplateError', code: 'unknown_template', template: 'no-such-message' }),
      );
    });

    it('names a variable of the wrong type', () => {
      expect(() => templates.render('enrolment-waitlisted', 'nl', { ...data, position: 'third' }, institute)).toThrow(MailTemplateError);
      const sample = templates.list().find((t) => t.name === 'enrolment-waitlisted')!.sampleData;
      const error = catchError(() => templates.render('enrolment-waitlisted', 'nl', { ...sample, position: 'third' }, institute));
      expect(error).toMatchObject({ code: 'invalid_variable', variable: 'position', template: 'enrolment-waitlisted', locale: 'nl' });
      expect(error.message).toContain('"position" must be of type integer');
    });

    it('refuses a link that is not http(s)', () => {
      const sample = templates.list().find((t) => t.name === 'waitlist-promoted')!.sampleData;
      const error = catchError(() => templates.render('waitlist-promoted', 'en', { ...sample, acceptUrl: 'javascript:alert(1)' }, institute));
      expect(error).toMatchObject({ code: 'invalid_variable', variable: 'acceptUrl' });
    });

    it('names a field missing inside a nested object (strict mode)', () => {
      const { location: _location, ...newSession } = data.newSession as Record<string, unknown>;
      const error = catchError(() => templates.render('session-changed', 'nl', { ...data, newSession }, institute));
      expect(error).toMatchObject({ code: 'missing_variable', variable: 'location', template: 'session-changed', locale: 'nl' });
    });

    it('refuses an unreadable date inside a list', () => {
      const sample = templates.list().find((t) => t.name === 'edition-confirmed')!.sampleData;
      const sessions = [{ ...(sample.sessions as object[])[0], startsAt: 'Tuesday morning' }];
      const error = catchError(() => templates.render('edition-confirmed', 'en', { ...sample, sessions }, institute));
      expect(error).toMatchObject({ code: 'invalid_variable', template: 'edition-confirmed' });
      expect(error.message).toContain('"Tuesday morning"');
    });

    it('refuses a list that is missing inside an item', () => {
      const sample = templates.list().find((t) => t.name === 'advice')!.sampleData;
      const [first] = sample.editions as Record<string, unknown>[];
      const { reasons: _reasons, ...withoutReasons } = first;
      const error = catchError(() => templates.render('advice', 'nl', { ...sample, editions: [withoutReasons] }, institute));
      expect(error).toMatchObject({ code: 'missing_variable', template: 'advice' });
    });

    it('names a missing institute field', () => {
      const error = catchError(() => templates.render('session-changed', 'nl', data, { ...institute, phone: '' }));
      expect(error).toMatchObject({ code: 'missing_variable', variable: 'institute.phone' });
    });
  });
});

describe('MailTemplates with the CSS inlined at load', () => {
  let templates: MailTemplates;
  let unstyled: MailTemplates;
  let directory: string;

  beforeAll(async () => {
    templates = await MailTemplates.load();
    directory = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    cpSync(REAL_DIRECTORY, directory, { recursive: true });
    writeFileSync(join(directory, 'layout.css'), '');
    unstyled = await MailTemplates.load(directory);
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** What inlining every rendered message would give (as the outbox did before). */
  function inlinedPerMessage(html: string): string {
    const css = readFileSync(join(REAL_DIRECTORY, 'layout.css'), 'utf8');
    return juice(html, { extraCss: css, removeStyleTags: true, preserveMediaQueries: true });
  }

  it.each(MESSAGE_TYPES)('renders %s exactly as inlining each message would, in every locale and with awkward data', (name) => {
    const info = templates.list().find((template) => template.name === name)!;
    const required = Object.fromEntries(info.variables.filter((v) => v.required).map((v) => [v.name, info.sampleData[v.name]]));
    const awkward = Object.fromEntries(
      Object.entries(info.sampleData).map(([key, value]) => {
        const text = info.variables.find((v) => v.name === key)?.type === 'string' && typeof value === 'string';
        return [key, text ? `<b class="facts">"${value}" & 'x' = {{y}}</b>\nregel twee` : value];
      }),
    );
    const awkwardInstitute = { ...institute, name: 'A & B <"Opleidingen">', logoSrc: undefined };
    for (const locale of LOCALES) {
      for (const [data, each] of [[info.sampleData, institute], [required, institute], [awkward, awkwardInstitute]] as const) {
        const mail = templates.render(name, locale, data, each);
        expect(mail.html).toBe(inlinedPerMessage(unstyled.render(name, locale, data, each).html));
        expect(mail.text).toBe(unstyled.render(name, locale, data, each).text);
      }
    }
  });
});

describe('MailTemplates kept in a cache directory once checked', () => {
  let directory: string;
  let cacheDirectory: string;
  const cacheFile = () => join(cacheDirectory, 'mail-templates.json');

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    cacheDirectory = join(directory, 'cache');
    cpSync(REAL_DIRECTORY, join(directory, 'templates'), { recursive: true });
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** Marks the kept, inlined body of mail-test, to see whether a load used the cache. */
  function markCachedBody(): void {
    const kept = JSON.parse(readFileSync(cacheFile(), 'utf8'));
    kept.styled.messages['mail-test'].nl.body = `<p>from the cache</p>${kept.styled.messages['mail-test'].nl.body}`;
    writeFileSync(cacheFile(), JSON.stringify(kept));
  }

  const renderMailTest = (templates: MailTemplates) =>
    templates.render('mail-test', 'nl', templates.list().find((t) => t.name === 'mail-test')!.sampleData, institute).html;

  it('renders from the cache what the checked load rendered, and uses it only for the same templates and engine', async () => {
    const templates = join(directory, 'templates');
    const checked = await MailTemplates.load(templates, { cacheDirectory, engine: 'engine 1' });
    const fromCache = await MailTemplates.load(templates, { cacheDirectory, engine: 'engine 1' });
    expect(renderMailTest(fromCache)).toBe(renderMailTest(checked));

    markCachedBody();
    expect(renderMailTest(await MailTemplates.load(templates, { cacheDirectory, engine: 'engine 1' }))).toContain('from the cache');
    expect(renderMailTest(await MailTemplates.load(templates, { cacheDirectory, engine: 'engine 2' }))).not.toContain('from the cache');
  });

  it('checks a changed template again, and keeps nothing of templates that fail', async () => {
    const templates = join(directory, 'templates');
    await MailTemplates.load(templates, { cacheDirectory, engine: 'engine 1' });
    const kept = readFileSync(cacheFile(), 'utf8');
    writeFileSync(join(templates, 'mail-test', 'body.nl.hbs'), '<p>{{nobodyGivesThis}}</p>');
    await expect(MailTemplates.load(templates, { cacheDirectory, engine: 'engine 1' })).rejects.toThrow(/nobodyGivesThis/);
    expect(readFileSync(cacheFile(), 'utf8')).toBe(kept);
  });

  it('keeps nothing without an engine (as under jest, where no compiled code exists)', async () => {
    await MailTemplates.load(join(directory, 'templates'), { cacheDirectory });
    expect(existsSync(cacheFile())).toBe(false);
  });
});

describe('MailTemplates on a directory of its own', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'mail-templates-'));
    cpSync(join(REAL_DIRECTORY, 'partials'), join(directory, 'partials'), { recursive: true });
    cpSync(join(REAL_DIRECTORY, 'layout.hbs'), join(directory, 'layout.hbs'));
    cpSync(join(REAL_DIRECTORY, 'layout.css'), join(directory, 'layout.css'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function writeTemplate(name: string, files: Record<string, string | object>): void {
    mkdirSync(join(directory, name));
    for (const [file, content] of Object.entries(files)) {
      writeFileSync(join(directory, name, file), typeof content === 'string' ? content : JSON.stringify(content));
    }
  }

  const greeting = {
    description: 'A greeting',
    variables: { name: { type: 'string' }, day: { type: 'date', required: false } },
    sampleData: { name: 'Zoë', day: '2027-03-28' },
  };

  it('falls back to Dutch, dates included, when a message has no English text', async () => {
    writeTemplate('greeting', {
      'template.json': greeting,
      'subject.nl.hbs': 'Hallo {{name}}',
      'body.nl.hbs': '<p>Dag {{name}}{{#if day}}, tot {{date day}}{{/if}}.</p>',
      '.DS_Store': 'hidden files are ignored',
    });
    const templates = await MailTemplates.load(directory);

    expect(templates.list()).toEqual([
      {
        name: 'greeting',
        description: 'A greeting',
        locales: ['nl'],
        variables: [
          { name: 'name', type: 'string', required: true },
          { name: 'day', type: 'date', required: false },
        ],
        sampleData: { name: 'Zoë', day: '2027-03-28' },
      },
    ]);
    const mail = templates.render('greeting', 'en', { name: 'Łukasz', day: '2027-03-28' }, institute);
    expect(mail.subject).toBe('Hallo Łukasz');
    expect(mail.text).toContain('Dag Łukasz, tot zondag 28 maart 2027.');
    expect(mail.html).toContain('<html lang="nl"');
  });

  it('fails on a name the template uses but nobody gives (strict mode)', async () => {
    writeTemplate('greeting', { 'template.json': greeting, 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>Dag {{nmae}}</p>' });
    const error = await loadError(directory);
    expect(error).toMatchObject({ code: 'broken_template', template: 'greeting', locale: 'nl', variable: 'nmae' });
    expect(error.message).toContain('"nmae" not defined');
  });

  it('fails at load on a template that uses an optional variable without testing it', async () => {
    writeTemplate('greeting', { 'template.json': greeting, 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>Tot {{date day}}</p>' });
    await expect(MailTemplates.load(directory)).rejects.toThrow(/required part of the sample data/);
  });

  it.each([
    ['a syntax error', { 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>{{#if name}}Dag</p>' }, /greeting/],
    ['a missing partial', { 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '{{> nowhere}}' }, /partial nowhere could not be found/],
    ['no Dutch text', { 'subject.en.hbs': 'Hello', 'body.en.hbs': '<p>Hi</p>' }, /needs nl, the fallback locale/],
    ['a body without subject', { 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>Dag</p>', 'body.en.hbs': '<p>Hi</p>' }, /needs both subject.en.hbs/],
    ['a stray file', { 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>Dag</p>', 'body.de.hbs': '<p>Tag</p>' }, /unexpected files body.de.hbs/],
  ])('fails at load on %s', async (_case, files, message) => {
    writeTemplate('greeting', { 'template.json': greeting, ...files });
    const error = await loadError(directory);
    expect(error).toMatchObject({ code: 'broken_template', template: 'greeting' });
    expect(error.message).toMatch(message);
  });

  it.each([
    ['an unknown type', { ...greeting, variables: { name: { type: 'text' } } }, /type "text"/],
    ['undeclared sample data', { ...greeting, sampleData: { ...greeting.sampleData, extra: 1 } }, /undeclared variables: extra/],
    ['sample data of the wrong type', { ...greeting, sampleData: { name: 'Zoë', day: 'Sunday' } }, /"day" must be of type date/],
    ['no description', { ...greeting, description: '' }, /needs a description/],
  ])('fails at load on a template.json with %s', async (_case, manifest, message) => {
    writeTemplate('greeting', { 'template.json': manifest, 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p>Dag {{name}}</p>' });
    await expect(MailTemplates.load(directory)).rejects.toThrow(message);
  });

  it("fails at load on a template whose data would choose an element's class, since the CSS is inlined at load", async () => {
    writeTemplate('greeting', { 'template.json': greeting, 'subject.nl.hbs': 'Hallo', 'body.nl.hbs': '<p class="{{name}}">Dag</p>' });
    const error = await loadError(directory);
    expect(error).toMatchObject({ code: 'broken_template', template: 'greeting', locale: 'nl' });
    expect(error.message).toContain('<p class="{{name}}">');
  });

  it('fails at load when the directory is not there', async () => {
    await expect(MailTemplates.load(join(directory, 'missing'))).rejects.toThrow(expect.objectContaining({ code: 'broken_template' }));
  });
});

function catchError(action: () => unknown): MailTemplateError {
  try {
    action();
  } catch (error) {
    if (error instanceof MailTemplateError) return error;
    throw error;
  }
  throw new Error('expected a MailTemplateError');
}

async function loadError(directory: string): Promise<MailTemplateError> {
  const error: unknown = await MailTemplates.load(directory).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof MailTemplateError) return error;
  throw error ?? new Error('expected a MailTemplateError');
}

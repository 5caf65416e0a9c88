import { LOCALES, type Locale } from '../../kernel/locale';
import { lazyImport } from '../../kernel/lazy-import';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { compile as compilePlainText } from 'html-to-text';
import { MailHelperError, registerMailHelpers } from './mail-helpers';
import { MailTemplateError } from './mail-template.error';
import { checkTemplateData, parseManifest, TemplateManifest } from './template-manifest';

export { MailTemplateError } from './mail-template.error';
export type { MailTemplateErrorCode } from './mail-template.error';

/** Dutch is the default, and the fallback for a message that has no text in the asked locale. */
const FALLBACK_LOCALE: Locale = 'nl';

export interface InstituteForMail {
  name: string;
  addressLines: string[];
  phone: string;
  email: string;
  website: string;
  /** Where the header's logo comes from, e.g. 'cid:logo' for an inline attachment; no logo when absent. */
  logoSrc?: string;
}

export interface MailTemplateInfo {
  name: string;
  description: string;
  locales: Locale[];
  variables: { name: string; type: string; required: boolean; description?: string }[];
  sampleData: Record<string, unknown>;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type CompiledTemplate = Handlebars.TemplateDelegate;

interface LocalizedTemplate {
  subject: CompiledTemplate;
  /** The body as written: the text part is made from it. */
  body: CompiledTemplate;
  /** The layout and the body with layout.css inlined at load: the HTML part. */
  styled: { layout: CompiledTemplate; body: CompiledTemplate };
}

interface MessageTemplate {
  name: string;
  manifest: TemplateManifest;
  locales: Map<Locale, LocalizedTemplate>;
}

const TEMPLATE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PARTIALS_DIRECTORY = 'partials';
const MESSAGE_FILES = new Set(['template.json', ...LOCALES.flatMap((l) => [`subject.${l}.hbs`, `body.${l}.hbs`])]);
/** The file in the cache directory that keeps the checked templates. */
const CACHE_FILE = 'mail-templates.json';

/** Stands in for the real institute when every template is rendered once at load. */
const CHECK_INSTITUTE: InstituteForMail = {
  name: 'Instituut',
  addressLines: ['Straat 1', '1234 AB Plaats'],
  phone: '+31 20 000 0000',
  email: 'info@example.org',
  website: 'https://example.org',
  logoSrc: 'cid:logo',
};

const toPlainText = compilePlainText({
  wordwrap: 78,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'table.data', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'table.facts', format: 'dataTable' },
  ],
});

/** Needed only when the templates are checked anew: a boot that finds them in the cache never loads it. */
const juiceLibrary = lazyImport(() => import('juice'));
type Juice = Awaited<ReturnType<typeof juiceLibrary>>['default'];

/** What `templates/mail/` holds, read, with its folders, files and manifests checked. */
interface TemplateSources {
  partials: Map<string, string>;
  layout: string;
  css: string;
  messages: MessageSources[];
}

interface MessageSources {
  name: string;
  manifest: TemplateManifest;
  /** The subject and the body as written, per locale. */
  locales: Map<Locale, { subject: string; body: string }>;
}

/** The templates with layout.css inlined, as sources: what juice makes of them, and what the cache keeps. */
interface StyledSources {
  /** Each distinct inlined form of a partial, by the name it is registered under. */
  partials: Record<string, { partial: string; locale: Locale; source: string }>;
  /** The inlined layouts (every message inlines the layout alike, so mostly one). */
  layouts: string[];
  /** Per template and locale: its inlined layout (an index into `layouts`) and body. */
  messages: Record<string, Partial<Record<Locale, { layout: number; body: string }>>>;
}

export interface MailTemplatesOptions {
  /**
   * Where templates that passed the check are kept with their CSS inlined (DATA_DIR/cache): a
   * boot with the same templates and the same engine then skips juice and the check, which took
   * about a second of every boot.
   */
  cacheDirectory?: string;
  /** What besides the templates decides the outcome: by default `compiledEngine()`; nothing is kept when unknown. */
  engine?: string;
}

/**
 * The mail templates on disk (`templates/mail/`), compiled once: a shared layout with partials,
 * and per message type a `template.json` declaring its variables and sample data, and a subject
 * and body per locale. Rendering only; sending is the outbox's job.
 */
export class MailTemplates {
  private constructor(
    private readonly layout: CompiledTemplate,
    private readonly templates: Map<string, MessageTemplate>,
  ) {}

  /**
   * Reads, compiles and checks the templates: a broken one stops the load. Templates found
   * unchanged in the cache passed that check before, and are not checked again.
   */
  static async load(directory: string = resolve(process.cwd(), 'templates', 'mail'), options: MailTemplatesOptions = {}): Promise<MailTemplates> {
    const sources = readSources(directory);
    const { cacheDirectory, engine = compiledEngine() } = options;
    const cache = cacheDirectory === undefined || engine === undefined ? undefined : new CheckedTemplates(cacheDirectory, engine, sources);
    const checked = cache?.read();
    if (checked) return MailTemplates.assemble(sources, checked);

    parseEverySource(sources);
    const { default: juice } = await juiceLibrary();
    const styled = CssInliner.inlineAll(juice, sources);
    const mailTemplates = MailTemplates.assemble(sources, styled);
    mailTemplates.checkEveryTemplate();
    cache?.write(styled);
    return mailTemplates;
  }

  /** Each template is compiled on a Handlebars of their own at its first render (the check renders every one). */
  private static assemble(sources: TemplateSources, styled: StyledSources): MailTemplates {
    const handlebars = Handlebars.create();
    registerMailHelpers(handlebars);
    const compile = (source: string, noEscape = false) => handlebars.compile(source, { strict: true, noEscape });
    for (const [name, source] of sources.partials) handlebars.registerPartial(name, compile(source));
    for (const [name, { source }] of Object.entries(styled.partials)) handlebars.registerPartial(name, compile(source));
    const layout = compile(sources.layout);
    const layouts = styled.layouts.map((source) => compile(source));

    const templates = new Map<string, MessageTemplate>();
    for (const { name, manifest, locales } of sources.messages) {
      const compiled = new Map<Locale, LocalizedTemplate>();
      for (const [locale, { subject, body }] of locales) {
        const inlined = styled.messages[name][locale]!;
        compiled.set(locale, {
          // A subject is a header, not HTML: no entities in it.
          subject: compile(subject, true),
          body: compile(body),
          styled: { layout: layouts[inlined.layout], body: compile(inlined.body) },
        });
      }
      templates.set(name, { name, manifest, locales: compiled });
    }
    return new MailTemplates(layout, templates);
  }

  list(): MailTemplateInfo[] {
    return [...this.templates.values()].map(({ name, manifest, locales }) => ({
      name,
      description: manifest.description,
      locales: LOCALES.filter((locale) => locales.has(locale)),
      variables: manifest.variables.map((variable) => ({ ...variable })),
      sampleData: structuredClone(manifest.sampleData),
    }));
  }

  /**
   * Fails unless the folder holds exactly the templates named (those `MailTemplateData` types),
   * so a template without a type, or a type without a template, stops the boot.
   */
  expectExactly(names: readonly string[]): this {
    const unexpected = [...this.templates.keys()].filter((name) => !names.includes(name));
    const missing = names.filter((name) => !this.templates.has(name));
    for (const name of unexpected) throw new MailTemplateError('broken_template', name, undefined, 'has no data type in MailTemplateData');
    for (const name of missing) throw new MailTemplateError('broken_template', name, undefined, 'has a data type in MailTemplateData but no folder');
    return this;
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  render(name: string, locale: Locale, data: Record<string, unknown>, institute: InstituteForMail): RenderedMail {
    const template = this.templates.get(name);
    if (!template) throw new MailTemplateError('unknown_template', name, locale, 'no such mail template');
    const usedLocale = template.locales.has(locale) ? locale : FALLBACK_LOCALE;
    checkInstitute(name, usedLocale, institute);
    const context = checkTemplateData(name, usedLocale, template.manifest.variables, data);
    const { subject, html, plain } = this.compose(template, usedLocale, context, institute);
    // The text comes from the same markup without the inlined CSS: style attributes change nothing in it and slow its parse.
    return { subject, html, text: toPlainText(plain) };
  }

  private compose(
    template: MessageTemplate,
    locale: Locale,
    context: Record<string, unknown>,
    institute: InstituteForMail,
  ): { subject: string; html: string; plain: string } {
    const localized = template.locales.get(locale);
    if (!localized) throw new MailTemplateError('broken_template', template.name, locale, 'has no text in this locale');
    // @locale and @institute reach the helpers, partials and layout without mixing into the caller's data.
    const options: Handlebars.RuntimeOptions = { data: { locale, institute } };
    try {
      const subject = localized.subject(context, options).replace(/\s+/g, ' ').trim();
      const html = localized.styled.layout({ subject, body: localized.styled.body(context, options) }, options);
      return { subject, html, plain: this.layout({ subject, body: localized.body(context, options) }, options) };
    } catch (error) {
      throw translateRenderError(error, template.name, locale);
    }
  }

  /** Renders every locale of every template with its sample data, and again with only the required part. */
  private checkEveryTemplate(): void {
    for (const template of this.templates.values()) {
      const { sampleData, variables } = template.manifest;
      const requiredOnly = Object.fromEntries(
        variables.filter((v) => v.required && v.name in sampleData).map((v) => [v.name, sampleData[v.name]]),
      );
      for (const locale of template.locales.keys()) {
        for (const [label, data] of [['sample data', sampleData], ['the required part of the sample data', requiredOnly]] as const) {
          try {
            this.compose(template, locale, checkTemplateData(template.name, locale, variables, data), CHECK_INSTITUTE);
          } catch (error) {
            const cause = error instanceof MailTemplateError ? error : translateRenderError(error, template.name, locale);
            throw new MailTemplateError('broken_template', template.name, locale, `does not render with ${label}: ${cause.message}`, cause.variable);
          }
        }
      }
    }
  }
}

function readEntries(directory: string, label: string) {
  try {
    // Hidden files (.DS_Store, editor swap files) are no part of the templates.
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw new MailTemplateError('broken_template', label, undefined, `cannot read ${directory}: ${(error as Error).message}`);
  }
}

function readText(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MailTemplateError('broken_template', label, undefined, `cannot read ${path}: ${(error as Error).message}`);
  }
}

function readSources(directory: string): TemplateSources {
  const entries = readEntries(directory, 'templates');
  const partials = new Map<string, string>();
  for (const file of readEntries(join(directory, PARTIALS_DIRECTORY), PARTIALS_DIRECTORY).filter((e) => e.isFile())) {
    if (!file.name.endsWith('.hbs')) continue;
    partials.set(file.name.slice(0, -'.hbs'.length), readText(join(directory, PARTIALS_DIRECTORY, file.name), `${PARTIALS_DIRECTORY}/${file.name}`));
  }
  return {
    partials,
    layout: readText(join(directory, 'layout.hbs'), 'layout.hbs'),
    css: readText(join(directory, 'layout.css'), 'layout.css'),
    messages: entries.filter((e) => e.isDirectory() && e.name !== PARTIALS_DIRECTORY).map((e) => readMessageSources(join(directory, e.name), e.name)),
  };
}

function readMessageSources(directory: string, name: string): MessageSources {
  if (!TEMPLATE_NAME.test(name)) {
    throw new MailTemplateError('broken_template', name, undefined, 'folder name must be kebab-case (a-z, 0-9, -)');
  }
  const files = new Set(readEntries(directory, name).map((e) => e.name));
  const stray = [...files].filter((file) => !MESSAGE_FILES.has(file));
  if (stray.length > 0) {
    throw new MailTemplateError('broken_template', name, undefined, `unexpected files ${stray.join(', ')}; expected ${[...MESSAGE_FILES].join(', ')}`);
  }
  const manifest = parseManifest(name, readText(join(directory, 'template.json'), name));

  const locales = new Map<Locale, { subject: string; body: string }>();
  for (const locale of LOCALES) {
    const subjectFile = `subject.${locale}.hbs`;
    const bodyFile = `body.${locale}.hbs`;
    if (!files.has(subjectFile) && !files.has(bodyFile)) continue;
    if (!files.has(subjectFile) || !files.has(bodyFile)) {
      throw new MailTemplateError('broken_template', name, locale, `needs both ${subjectFile} and ${bodyFile}`);
    }
    locales.set(locale, { subject: readText(join(directory, subjectFile), name), body: readText(join(directory, bodyFile), name) });
  }
  if (!locales.has(FALLBACK_LOCALE)) {
    throw new MailTemplateError('broken_template', name, undefined, `needs ${FALLBACK_LOCALE}, the fallback locale`);
  }
  return { name, manifest, locales };
}

/** Parses every template as written, so that a syntax error is told with its file, before juice rewrites the markup. */
function parseEverySource(sources: TemplateSources): void {
  const parse = (source: string, label: string, locale?: Locale) => {
    try {
      Handlebars.parse(source);
    } catch (error) {
      throw new MailTemplateError('broken_template', label, locale, (error as Error).message);
    }
  };
  for (const [name, source] of sources.partials) parse(source, `${PARTIALS_DIRECTORY}/${name}.hbs`);
  parse(sources.layout, 'layout.hbs');
  for (const { name, locales } of sources.messages) {
    for (const [locale, { subject, body }] of locales) {
      parse(subject, name, locale);
      parse(body, name, locale);
    }
  }
}

/** Marks a stretch of markup that came from a partial (or, for index 0, the message body). */
const marked = (index: number, markup: string) => `<!--inline:${index}-->${markup}<!--/inline:${index}-->`;
/** An innermost marked stretch. */
const MARKED = /<!--inline:(\d+)-->((?:(?!<!--inline:)[\s\S])*?)<!--\/inline:\1-->/;
/** `{{> name hash…}}`, split before and after the name. */
const PARTIAL_CALL = /(\{\{~?>\s*)([^\s}~()]+)([^}]*\}\})/g;
/** Handlebars in a tag's class, id or style, or a block among its attributes: an element whose look the data would choose. */
const DYNAMIC_TAG = /<[a-z][^>]*?(?:\s(?:class|id|style)\s*=\s*["'][^"']*\{\{|\{\{[#^/]|\{\{else)/i;

/** A partial call taken out of the document: `call(name)` writes it again, with the name of the partial's inlined form. */
interface PartialCall {
  partial: string;
  call: (name: string) => string;
}

/**
 * Inlines layout.css into the templates once, at load, rather than into every message: juice
 * re-parsing the CSS and the whole document took ~7 of the ~9 ms of a render. The layout, the
 * body and every partial they call are joined into one document (each partial between
 * markers), so that every element gets its styles among its real ancestors (`.facts td`: the
 * row is in the `fact` partial, its table in the body); juice keeps the `{{ }}` blocks as they
 * are. Then the stretches are cut out again, innermost first, and each distinct inlined form
 * of a partial becomes a partial of its own. This equals inlining every message
 * because layout.css selects by element, class and ancestors only (no sibling or structural
 * pseudo-classes), no template lets the data choose an element's class, id or style (checked
 * here), and the only markup data brings is the `<br>` of `multiline`, which has no rule.
 */
class CssInliner {
  /** A partial's name and inlined source → the name that form is registered under. */
  private readonly forms = new Map<string, string>();
  private readonly styled: StyledSources = { partials: {}, layouts: [], messages: {} };

  private constructor(
    private readonly juice: Juice,
    private readonly sources: TemplateSources,
  ) {}

  static inlineAll(juice: Juice, sources: TemplateSources): StyledSources {
    const inliner = new CssInliner(juice, sources);
    for (const { name, locales } of sources.messages) {
      inliner.styled.messages[name] = Object.fromEntries([...locales].map(([locale, { body }]) => [locale, inliner.inline(body, name, locale)]));
    }
    return inliner.styled;
  }

  private inline(body: string, template: string, locale: Locale): { layout: number; body: string } {
    const calls: PartialCall[] = [{ partial: '', call: () => '{{{body}}}' }];
    const document = this.expand(this.sources.layout.replace('{{{body}}}', () => marked(0, body)), calls, []);
    const dynamic = DYNAMIC_TAG.exec(document);
    if (dynamic) {
      throw new MailTemplateError('broken_template', template, locale, `the data may not choose an element's class, id or style (the CSS is inlined at load): ${/^<[^>]*>?/.exec(document.slice(dynamic.index))![0]}`);
    }
    let html: string;
    try {
      html = this.juice(document, { extraCss: this.sources.css, removeStyleTags: true, preserveMediaQueries: true });
    } catch (error) {
      throw new MailTemplateError('broken_template', template, locale, `cannot inline layout.css: ${(error as Error).message}`);
    }
    let styledBody = '';
    for (let match = MARKED.exec(html); match; match = MARKED.exec(html)) {
      const [stretch, index, markup] = match;
      const { partial, call } = calls[Number(index)];
      if (index === '0') styledBody = markup;
      const replacement = index === '0' ? call('') : call(this.form(partial, markup, locale));
      html = html.slice(0, match.index) + replacement + html.slice(match.index + stretch.length);
    }
    // Every message inlines the layout alike: kept, and compiled, once.
    const layouts = this.styled.layouts;
    const layout = layouts.includes(html) ? layouts.indexOf(html) : layouts.push(html) - 1;
    return { layout, body: styledBody };
  }

  /** Puts each called partial in place of its call, between markers; a partial within itself stays a call. */
  private expand(source: string, calls: PartialCall[], within: string[]): string {
    return source.replace(PARTIAL_CALL, (call: string, open: string, partial: string, rest: string) => {
      const partialSource = this.sources.partials.get(partial);
      if (partialSource === undefined || within.includes(partial)) return call;
      const index = calls.push({ partial, call: (name) => `${open}${name}${rest}` }) - 1;
      return marked(index, this.expand(partialSource, calls, [...within, partial]));
    });
  }

  /** The registered name of this inlined form of the partial. */
  private form(partial: string, source: string, locale: Locale): string {
    const key = `${partial}\0${source}`;
    let name = this.forms.get(key);
    if (!name) {
      let n = this.forms.size;
      do name = `${partial}$${n++}`;
      while (this.sources.partials.has(name) || name in this.styled.partials);
      this.styled.partials[name] = { partial, locale, source };
      this.forms.set(key, name);
    }
    return name;
  }
}

/**
 * Templates that passed the check, with their CSS inlined, kept in one file under a key made of
 * every template source and the engine (see compiledEngine): other templates or other code
 * check again. A file that cannot be read or written costs only a check.
 */
class CheckedTemplates {
  private readonly file: string;
  private readonly key: string;

  constructor(directory: string, engine: string, sources: TemplateSources) {
    this.file = join(directory, CACHE_FILE);
    const all = JSON.stringify(sources, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
    this.key = createHash('sha256').update(engine).update(all).digest('hex');
  }

  read(): StyledSources | undefined {
    try {
      const kept = JSON.parse(readFileSync(this.file, 'utf8')) as { key: string; styled: StyledSources };
      return kept.key === this.key ? kept.styled : undefined;
    } catch {
      return undefined;
    }
  }

  write(styled: StyledSources): void {
    // Written aside and moved into place: a server and a worker booting at once never read half a file.
    const draft = `${this.file}.${process.pid}`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(draft, JSON.stringify({ key: this.key, styled }));
      renameSync(draft, this.file);
    } catch {
      rmSync(draft, { force: true });
    }
  }
}

/**
 * What, besides the templates, decides the inlined form and the outcome of the check: the code
 * of this folder (loading, helpers, manifest rules) and the versions of Handlebars and juice.
 * Undefined where this runs as an ES module (jest), which cannot tell its folder.
 */
export function compiledEngine(): string | undefined {
  if (typeof __dirname !== 'string' || typeof __filename !== 'string') return undefined;
  const juicePackage = createRequire(__filename)('juice/package.json') as { version: string };
  const hash = createHash('sha256').update(`handlebars ${Handlebars.VERSION} juice ${juicePackage.version}`);
  for (const file of readdirSync(__dirname).filter((name) => /\.[jt]s$/.test(name)).sort()) {
    hash.update(file).update(readFileSync(join(__dirname, file)));
  }
  return hash.digest('hex');
}

function checkInstitute(template: string, locale: Locale, institute: InstituteForMail): void {
  for (const field of ['name', 'phone', 'email', 'website'] as const) {
    const value: unknown = institute?.[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new MailTemplateError('missing_variable', template, locale, `institute.${field} is missing`, `institute.${field}`);
    }
  }
  if (!Array.isArray(institute.addressLines) || !institute.addressLines.every((line) => typeof line === 'string')) {
    throw new MailTemplateError('invalid_variable', template, locale, 'institute.addressLines must be a list of strings', 'institute.addressLines');
  }
  if (institute.logoSrc !== undefined && typeof institute.logoSrc !== 'string') {
    throw new MailTemplateError('invalid_variable', template, locale, 'institute.logoSrc must be a string', 'institute.logoSrc');
  }
}

function translateRenderError(error: unknown, template: string, locale: Locale): MailTemplateError {
  if (error instanceof MailTemplateError) return error;
  if (error instanceof MailHelperError) {
    const absent = error.value === undefined || error.value === null;
    return new MailTemplateError(absent ? 'missing_variable' : 'invalid_variable', template, locale, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars' strict mode says: "name" not defined in [object Object] - line:column
  const missing = /^"([^"]+)" not defined in/.exec(message);
  if (missing) {
    return new MailTemplateError('missing_variable', template, locale, `variable "${missing[1]}" is missing (${message})`, missing[1]);
  }
  return new MailTemplateError('broken_template', template, locale, message);
}

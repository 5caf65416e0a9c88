import { LOCALES, type Locale } from '../../kernel/locale';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { compile as compilePlainText } from 'html-to-text';
import juice from 'juice';
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

  static load(directory: string = resolve(process.cwd(), 'templates', 'mail')): MailTemplates {
    const handlebars = Handlebars.create();
    registerMailHelpers(handlebars);
    const entries = readEntries(directory, 'templates');

    const partials = new Map<string, string>();
    for (const file of readEntries(join(directory, PARTIALS_DIRECTORY), PARTIALS_DIRECTORY).filter((e) => e.isFile())) {
      if (!file.name.endsWith('.hbs')) continue;
      const source = readText(join(directory, PARTIALS_DIRECTORY, file.name), `${PARTIALS_DIRECTORY}/${file.name}`);
      const name = file.name.slice(0, -'.hbs'.length);
      handlebars.registerPartial(name, compileStrict(handlebars, source, `${PARTIALS_DIRECTORY}/${file.name}`));
      partials.set(name, source);
    }
    const layoutSource = readText(join(directory, 'layout.hbs'), 'layout.hbs');
    const layout = compileStrict(handlebars, layoutSource, 'layout.hbs');
    const inliner = new CssInliner(handlebars, layoutSource, partials, readText(join(directory, 'layout.css'), 'layout.css'));

    const templates = new Map<string, MessageTemplate>();
    for (const entry of entries.filter((e) => e.isDirectory() && e.name !== PARTIALS_DIRECTORY)) {
      templates.set(entry.name, loadMessageTemplate(handlebars, inliner, join(directory, entry.name), entry.name));
    }
    const mailTemplates = new MailTemplates(layout, templates);
    mailTemplates.checkEveryTemplate();
    return mailTemplates;
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

function compileStrict(handlebars: typeof Handlebars, source: string, label: string, locale?: Locale, noEscape = false) {
  try {
    // Parsing now, not at first render, so a syntax error stops the load.
    return handlebars.compile(handlebars.parse(source), { strict: true, noEscape });
  } catch (error) {
    throw new MailTemplateError('broken_template', label, locale, (error as Error).message);
  }
}

function loadMessageTemplate(handlebars: typeof Handlebars, inliner: CssInliner, directory: string, name: string): MessageTemplate {
  if (!TEMPLATE_NAME.test(name)) {
    throw new MailTemplateError('broken_template', name, undefined, 'folder name must be kebab-case (a-z, 0-9, -)');
  }
  const files = new Set(readEntries(directory, name).map((e) => e.name));
  const stray = [...files].filter((file) => !MESSAGE_FILES.has(file));
  if (stray.length > 0) {
    throw new MailTemplateError('broken_template', name, undefined, `unexpected files ${stray.join(', ')}; expected ${[...MESSAGE_FILES].join(', ')}`);
  }
  const manifest = parseManifest(name, readText(join(directory, 'template.json'), name));

  const locales = new Map<Locale, LocalizedTemplate>();
  for (const locale of LOCALES) {
    const subjectFile = `subject.${locale}.hbs`;
    const bodyFile = `body.${locale}.hbs`;
    if (!files.has(subjectFile) && !files.has(bodyFile)) continue;
    if (!files.has(subjectFile) || !files.has(bodyFile)) {
      throw new MailTemplateError('broken_template', name, locale, `needs both ${subjectFile} and ${bodyFile}`);
    }
    const body = readText(join(directory, bodyFile), name);
    locales.set(locale, {
      // A subject is a header, not HTML: no entities in it.
      subject: compileStrict(handlebars, readText(join(directory, subjectFile), name), name, locale, true),
      body: compileStrict(handlebars, body, name, locale),
      styled: inliner.inline(body, name, locale),
    });
  }
  if (!locales.has(FALLBACK_LOCALE)) {
    throw new MailTemplateError('broken_template', name, undefined, `needs ${FALLBACK_LOCALE}, the fallback locale`);
  }
  return { name, manifest, locales };
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
 * of a partial is registered as a partial of its own. This equals inlining every message
 * because layout.css selects by element, class and ancestors only (no sibling or structural
 * pseudo-classes), no template lets the data choose an element's class, id or style (checked
 * here), and the only markup data brings is the `<br>` of `multiline`, which has no rule.
 */
class CssInliner {
  /** A partial's name and inlined source → the name that form is registered under. */
  private readonly forms = new Map<string, string>();
  private readonly layouts = new Map<string, CompiledTemplate>();

  constructor(
    private readonly handlebars: typeof Handlebars,
    private readonly layout: string,
    private readonly partials: Map<string, string>,
    private readonly css: string,
  ) {}

  inline(body: string, template: string, locale: Locale): { layout: CompiledTemplate; body: CompiledTemplate } {
    const calls: PartialCall[] = [{ partial: '', call: () => '{{{body}}}' }];
    const document = this.expand(this.layout.replace('{{{body}}}', () => marked(0, body)), calls, []);
    const dynamic = DYNAMIC_TAG.exec(document);
    if (dynamic) {
      throw new MailTemplateError('broken_template', template, locale, `the data may not choose an element's class, id or style (the CSS is inlined at load): ${/^<[^>]*>?/.exec(document.slice(dynamic.index))![0]}`);
    }
    let html: string;
    try {
      html = juice(document, { extraCss: this.css, removeStyleTags: true, preserveMediaQueries: true });
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
    // Every message inlines the layout alike: compiled once.
    let layout = this.layouts.get(html);
    if (!layout) this.layouts.set(html, (layout = compileStrict(this.handlebars, html, 'layout.hbs')));
    return { layout, body: compileStrict(this.handlebars, styledBody, template, locale) };
  }

  /** Puts each called partial in place of its call, between markers; a partial within itself stays a call. */
  private expand(source: string, calls: PartialCall[], within: string[]): string {
    return source.replace(PARTIAL_CALL, (call: string, open: string, partial: string, rest: string) => {
      const partialSource = this.partials.get(partial);
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
      while (name in this.handlebars.partials);
      this.handlebars.registerPartial(name, compileStrict(this.handlebars, source, `${PARTIALS_DIRECTORY}/${partial}.hbs`, locale));
      this.forms.set(key, name);
    }
    return name;
  }
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

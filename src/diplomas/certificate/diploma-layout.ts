import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export type LayoutLocale = 'nl' | 'en';
/** A text for both languages, or one for both. */
export type LocalisedText = string | { nl: string; en: string };

export const LAYOUT_IMAGE_SOURCES = ['logo', 'director_signature', 'coordinator_signature'] as const;
export type LayoutImageSource = (typeof LAYOUT_IMAGE_SOURCES)[number];

/** The fields a text may name as `{{field}}`, filled per diploma. */
export const LAYOUT_FIELDS = [
  'name',
  'course',
  'issueDate',
  'studyLoadHours',
  'pePoints',
  'finalGrade',
  'number',
  'verificationUrl',
  'institute',
  'directorName',
  'coordinatorName',
] as const;
export type LayoutField = (typeof LAYOUT_FIELDS)[number];

export interface TextElement {
  type: 'text';
  font: string;
  size: number;
  color?: string;
  x: number;
  y: number;
  width: number;
  align?: 'left' | 'center' | 'right';
  text: LocalisedText;
  /** Left out when this field is empty (no final grade, no PE points). */
  when?: LayoutField;
}
export interface ImageElement {
  type: 'image';
  source: LayoutImageSource;
  x: number;
  y: number;
  fit: [number, number];
  align?: 'left' | 'center' | 'right';
}
export interface QrElement {
  type: 'qr';
  x: number;
  y: number;
  size: number;
}
export interface LineElement {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color?: string;
  lineWidth?: number;
}
export interface RectElement {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  strokeColor?: string;
  fillColor?: string;
  lineWidth?: number;
}
export type LayoutElement = TextElement | ImageElement | QrElement | LineElement | RectElement;

/** The certificate's layout as the institute wrote it in `templates/diploma/layout.json`, with its fonts read. */
export interface DiplomaLayout {
  page: { size: string; orientation: 'landscape' | 'portrait'; background?: string };
  /** Font name → the TrueType file's bytes; parsed when the first certificate is drawn (see diploma-pdf). */
  fonts: Map<string, Buffer>;
  elements: LayoutElement[];
}

export class DiplomaLayoutError extends Error {}

export const DEFAULT_LAYOUT_FILE = resolve(process.cwd(), 'templates', 'diploma', 'layout.json');

/**
 * Reads and checks the layout once (at boot), so a mistake in it stops the start with a
 * message naming the element, not a diploma run halfway. A font path is relative to the
 * layout's folder, or else a file of an installed package (`dejavu-fonts-ttf/ttf/...`).
 */
export function loadDiplomaLayout(file: string = DEFAULT_LAYOUT_FILE): DiplomaLayout {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DiplomaLayoutError(`The diploma layout ${file} cannot be read: ${(error as Error).message}`);
  }
  return parseDiplomaLayout(raw, dirname(file));
}

export function parseDiplomaLayout(raw: unknown, baseDirectory: string): DiplomaLayout {
  const fail = (where: string, message: string): never => {
    throw new DiplomaLayoutError(`Diploma layout, ${where}: ${message}`);
  };
  if (!isObject(raw)) fail('top', 'must be an object');
  const layout = raw as Record<string, unknown>;
  const page = layout.page;
  if (!isObject(page) || typeof page.size !== 'string' || !['landscape', 'portrait'].includes(String(page.orientation))) {
    fail('page', 'needs size (e.g. "A4") and orientation (landscape or portrait)');
  }
  if (!isObject(layout.fonts)) fail('fonts', 'must map font names to TrueType files');
  const fonts = new Map<string, Buffer>();
  for (const [name, path] of Object.entries(layout.fonts as Record<string, unknown>)) {
    if (typeof path !== 'string') fail(`fonts.${name}`, 'must be a file path');
    fonts.set(name, readFont(path as string, baseDirectory, (message) => fail(`fonts.${name}`, message)));
  }
  if (!Array.isArray(layout.elements)) fail('elements', 'must be a list');
  const elements = (layout.elements as unknown[]).map((element, index) => checkElement(element, `elements[${index}]`, fonts, fail));
  return { page: page as DiplomaLayout['page'], fonts, elements };
}

/** A TrueType font file of an installed package (e.g. `dejavu-fonts-ttf/ttf/DejaVuSans.ttf`), read. */
export function packageFontFile(path: string): Buffer {
  return readFont(path, process.cwd(), (message) => {
    throw new DiplomaLayoutError(message);
  });
}

function readFont(path: string, baseDirectory: string, fail: (message: string) => never): Buffer {
  const candidates = isAbsolute(path) ? [path] : [join(baseDirectory, path)];
  try {
    candidates.push(createRequire(join(process.cwd(), 'package.json')).resolve(path));
  } catch {
    // not a package file: only the layout's folder counts
  }
  for (const candidate of candidates) {
    try {
      const data = readFileSync(candidate);
      // TrueType (0x00010000 or "true") or OpenType with TrueType outlines; a collection ("ttcf") is none of them.
      const tag = data.subarray(0, 4).toString('latin1');
      if (tag !== '\x00\x01\x00\x00' && tag !== 'true' && tag !== 'OTTO') fail(`${candidate} is not a TrueType or OpenType font`);
      return data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return fail(`font file ${path} not found`);
}

const NUMBER_KEYS: Record<LayoutElement['type'], string[]> = {
  text: ['size', 'x', 'y', 'width'],
  image: ['x', 'y'],
  qr: ['x', 'y', 'size'],
  line: ['x1', 'y1', 'x2', 'y2'],
  rect: ['x', 'y', 'width', 'height'],
};

function checkElement(raw: unknown, where: string, fonts: Map<string, unknown>, fail: (where: string, message: string) => never): LayoutElement {
  if (!isObject(raw) || !(String(raw.type) in NUMBER_KEYS)) return fail(where, `type must be one of ${Object.keys(NUMBER_KEYS).join(', ')}`);
  const element = raw as unknown as LayoutElement;
  for (const key of NUMBER_KEYS[element.type]) {
    if (typeof (raw as Record<string, unknown>)[key] !== 'number') fail(where, `${key} must be a number`);
  }
  if (element.type === 'text') {
    if (!fonts.has(element.font)) fail(where, `font ${element.font} is not among the fonts`);
    const texts = typeof element.text === 'string' ? [element.text] : isObject(element.text) ? [element.text.nl, element.text.en] : [];
    if (texts.length === 0 || texts.some((text) => typeof text !== 'string')) fail(where, 'text must be a string or { nl, en }');
    for (const text of texts) {
      for (const [, field] of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (!(LAYOUT_FIELDS as readonly string[]).includes(field)) fail(where, `unknown field {{${field}}}; known: ${LAYOUT_FIELDS.join(', ')}`);
      }
    }
    if (element.when !== undefined && !(LAYOUT_FIELDS as readonly string[]).includes(element.when)) fail(where, `when names an unknown field ${element.when}`);
  }
  if (element.type === 'image') {
    if (!(LAYOUT_IMAGE_SOURCES as readonly string[]).includes(element.source)) fail(where, `source must be one of ${LAYOUT_IMAGE_SOURCES.join(', ')}`);
    if (!Array.isArray(element.fit) || element.fit.length !== 2 || element.fit.some((n) => typeof n !== 'number')) fail(where, 'fit must be [width, height]');
  }
  return element;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

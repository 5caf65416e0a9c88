import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { DiplomaLayout, LayoutElement, LayoutField, LayoutImageSource, LayoutLocale, TextElement } from './diploma-layout';

/** Everything printed on one certificate, already in the diploma's language. */
export interface CertificateContent {
  locale: LayoutLocale;
  fields: Record<LayoutField, string | null>;
  images: Partial<Record<LayoutImageSource, Buffer>>;
  /** Written into the document's information dictionary. */
  title: string;
  issuedAt: Date;
}

/**
 * A layout's fonts, parsed once: pdfkit takes a parsed font as it is, where a file's bytes are
 * parsed anew for every document (about 40 ms for the five fonts).
 */
const parsedFonts = new WeakMap<DiplomaLayout, Map<string, fontkit.Font>>();

function fontsOf(layout: DiplomaLayout): Map<string, fontkit.Font> {
  let fonts = parsedFonts.get(layout);
  if (!fonts) {
    fonts = new Map([...layout.fonts].map(([name, data]) => [name, fontkit.create(data) as fontkit.Font]));
    parsedFonts.set(layout, fonts);
  }
  return fonts;
}

/** The smallest a text is shrunk to when it does not fit its width (a long name), in points. */
const MIN_FONT_SIZE = 9;

/**
 * Renders a certificate after the layout: embedded TrueType fonts (subset, with a Unicode
 * map, so every name prints and copies right), the settings' images, and the QR code drawn
 * as vector squares, sharp at any zoom.
 */
export function renderCertificate(layout: DiplomaLayout, content: CertificateContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: layout.page.size,
    layout: layout.page.orientation,
    margin: 0,
    autoFirstPage: true,
    info: { Title: content.title, Author: content.fields.institute ?? '', Subject: content.fields.number ?? '', CreationDate: content.issuedAt },
    lang: content.locale,
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // A parsed fontkit font is taken as it is (typed as a file by @types/pdfkit).
  for (const [name, font] of fontsOf(layout)) doc.registerFont(name, font as unknown as Buffer);
  if (layout.page.background) doc.rect(0, 0, doc.page.width, doc.page.height).fill(layout.page.background);
  for (const element of layout.elements) drawElement(doc, element, content);
  doc.end();
  return done;
}

function drawElement(doc: PDFKit.PDFDocument, element: LayoutElement, content: CertificateContent): void {
  switch (element.type) {
    case 'text':
      return drawText(doc, element, content);
    case 'image': {
      const image = content.images[element.source];
      if (!image) return; // the institute has not uploaded it: the certificate goes without
      doc.image(image, element.x, element.y, { fit: element.fit, align: element.align === 'left' ? undefined : (element.align ?? 'center'), valign: 'center' });
      return;
    }
    case 'qr':
      return drawQr(doc, element.x, element.y, element.size, content.fields.verificationUrl ?? '');
    case 'line':
      doc.save().moveTo(element.x1, element.y1).lineTo(element.x2, element.y2).lineWidth(element.lineWidth ?? 1).strokeColor(element.color ?? '#000000').stroke().restore();
      return;
    case 'rect': {
      doc.save().rect(element.x, element.y, element.width, element.height).lineWidth(element.lineWidth ?? 1);
      if (element.fillColor && element.strokeColor) doc.fillAndStroke(element.fillColor, element.strokeColor);
      else if (element.fillColor) doc.fill(element.fillColor);
      else doc.stroke(element.strokeColor ?? '#000000');
      doc.restore();
      return;
    }
  }
}

export function fillText(template: string, fields: Record<LayoutField, string | null>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, field: LayoutField) => fields[field] ?? '');
}

function drawText(doc: PDFKit.PDFDocument, element: TextElement, content: CertificateContent): void {
  if (element.when && !content.fields[element.when]) return;
  const template = typeof element.text === 'string' ? element.text : element.text[content.locale];
  const text = fillText(template, content.fields);
  if (text.trim() === '') return;
  doc.font(element.font);
  // One line, as designed: a name longer than its box is set smaller rather than wrapped.
  // Only a text still too wide at the smallest size wraps.
  const smallest = Math.min(MIN_FONT_SIZE, element.size);
  let size = element.size;
  while (size > smallest && doc.fontSize(size).widthOfString(text) > element.width) size -= 0.5;
  const fits = doc.fontSize(size).widthOfString(text) <= element.width;
  doc
    .fillColor(element.color ?? '#000000')
    .text(text, element.x, element.y, { width: element.width, align: element.align ?? 'left', lineBreak: !fits });
}

function drawQr(doc: PDFKit.PDFDocument, x: number, y: number, size: number, text: string): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 4; // the quiet zone a scanner needs, in modules
  const module = size / (count + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff').fillColor('#000000');
  for (let row = 0; row < count; row++) {
    // One rectangle per run of dark modules: no hairline seams between neighbours, a smaller file.
    for (let column = 0; column < count; ) {
      if (!qr.modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < count && qr.modules.get(row, column)) column++;
      doc.rect(x + (start + quiet) * module, y + (row + quiet) * module, (column - start) * module, module);
    }
  }
  doc.fill('#000000').restore();
}

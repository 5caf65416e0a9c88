import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { packageFontFile } from '../certificate/diploma-layout';

export interface CeremonyListRow {
  name: string;
  studentNumber: number;
  guests: number;
  diplomaNumber: string;
  course: string;
}

export interface CeremonyListContent {
  institute: string;
  title: string;
  when: string;
  place: string;
  capacity: number;
  attending: CeremonyListRow[];
  declined: number;
  unanswered: number;
}

const MARGIN = 50;

/**
 * The printable list for the day: who comes with how many guests, with a box to tick at the
 * door, and the diplomas to bring, in number order. A4 portrait, in the diploma's fonts.
 */
const REGULAR = fontkit.create(packageFontFile('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
const BOLD = fontkit.create(packageFontFile('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));

export function renderCeremonyList(content: CeremonyListContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${content.title} — aanwezigheidslijst` }, lang: 'nl', bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // Parsed fontkit fonts are taken as they are (typed as files by @types/pdfkit).
  doc.registerFont('regular', REGULAR as unknown as Buffer);
  doc.registerFont('bold', BOLD as unknown as Buffer);
  const seats = content.attending.reduce((sum, row) => sum + 1 + row.guests, 0);

  doc.font('bold').fontSize(16).text(content.title);
  doc.font('regular').fontSize(10).text(`${content.institute} · ${content.when} · ${content.place}`);
  doc.text(`Aanwezig: ${content.attending.length} geslaagden met ${seats - content.attending.length} gasten (${seats} van ${content.capacity} plaatsen) · afgemeld: ${content.declined} · geen antwoord: ${content.unanswered}`);
  doc.moveDown();

  const table = (heading: string, columns: { title: string; width: number }[], rows: string[][]) => {
    doc.font('bold').fontSize(12).text(heading, MARGIN);
    doc.moveDown(0.3);
    const row = (cells: string[], bold: boolean) => {
      if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
      const y = doc.y;
      let x = MARGIN;
      doc.font(bold ? 'bold' : 'regular').fontSize(9);
      cells.forEach((cell, i) => {
        doc.text(cell, x, y, { width: columns[i].width - 6, lineBreak: false, ellipsis: true });
        x += columns[i].width;
      });
      doc.moveTo(MARGIN, y + 13).lineTo(doc.page.width - MARGIN, y + 13).lineWidth(0.3).strokeColor('#999999').stroke();
      doc.y = y + 16;
    };
    row(columns.map((c) => c.title), true);
    for (const cells of rows) row(cells, false);
    doc.moveDown();
  };

  const attending = [...content.attending].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  table(
    'Aanwezigheidslijst',
    [
      { title: '✓', width: 22 },
      { title: 'Naam', width: 190 },
      { title: 'Studentnr.', width: 70 },
      { title: 'Gasten', width: 50 },
      { title: 'Diploma', width: 90 },
      { title: 'Handtekening', width: 73 },
    ],
    attending.map((r) => ['☐', r.name, String(r.studentNumber), String(r.guests), r.diplomaNumber, '']),
  );
  const byNumber = [...content.attending].sort((a, b) => a.diplomaNumber.localeCompare(b.diplomaNumber));
  table(
    'Mee te nemen diploma’s',
    [
      { title: '✓', width: 22 },
      { title: 'Diploma', width: 90 },
      { title: 'Naam', width: 180 },
      { title: 'Opleiding', width: 203 },
    ],
    byNumber.map((r) => ['☐', r.diplomaNumber, r.name, r.course]),
  );
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // In the bottom margin: without this, pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8).text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN + 15, { width: doc.page.width - 2 * MARGIN, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}

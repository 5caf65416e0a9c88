import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { DiplomaLayoutError, loadDiplomaLayout, parseDiplomaLayout } from './diploma-layout';
import { CertificateContent, renderCertificate } from './diploma-pdf';
import { PdfSigner } from './pdf-signer';
import { developmentSigningCertificate, makeSelfSignedP12, readSigningCertificate } from './signing-certificate';

/** The certificate read back with independent tools: poppler's pdftotext, pdftoppm and pdfsig, and zbar's zbarimg. */
describe('the diploma certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diploma-pdf-'));
  const layout = loadDiplomaLayout();
  const certificate = developmentSigningCertificate(join(dir, 'data'));
  const signer = new PdfSigner(certificate.p12, certificate.passphrase, certificate.subject);
  const url = 'https://registrar.example.nl/verify/ABCDEFGHIJKLMNOPQRS2';
  let image: Buffer;

  const content = (name: string, overrides: Partial<CertificateContent['fields']> = {}, locale: 'nl' | 'en' = 'nl'): CertificateContent => ({
    locale,
    title: `Diploma ${name}`,
    issuedAt: new Date('2027-06-30T10:00:00Z'),
    images: { logo: image, director_signature: image, coordinator_signature: image },
    fields: {
      name,
      course: 'Post-hbo Leidinggeven aan Professionals',
      issueDate: '30 juni 2027',
      studyLoadHours: '120',
      pePoints: 'Registerplein 12',
      finalGrade: '7,5',
      number: 'D2027-000042',
      verificationUrl: url,
      institute: 'Instituut Noord',
      directorName: 'Dr. A. de Vries',
      coordinatorName: 'Nguyễn Thị Minh Khai',
      ...overrides,
    },
  });
  const write = (name: string, pdf: Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, pdf);
    return file;
  };
  const text = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

  beforeAll(async () => {
    image = solidPng(120, 40);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['Zoë Şahin-Łukasiewicz', 'Nguyễn Thị Minh Khai'])('prints %s so that the text extracts exactly', async (name) => {
    const file = write('name.pdf', await renderCertificate(layout, content(name)));
    const extracted = text(file);
    expect(extracted).toContain(name);
    expect(extracted).toContain('Post-hbo Leidinggeven aan Professionals');
    expect(extracted).toContain('D2027-000042');
    expect(extracted).toContain('Eindcijfer 7,5');
    expect(extracted).toContain('PE-punten: Registerplein 12');
    expect(extracted).toContain('Studiebelasting 120 uur');
  });

  it('is one A4 landscape page with its fonts embedded', async () => {
    const file = write('info.pdf', await renderCertificate(layout, content('Zoë Şahin-Łukasiewicz')));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    // emb and sub both yes, and a Unicode map (uni) for every font.
    for (const font of fonts) expect(font).toMatch(/yes\s+yes\s+yes/);
  });

  it('leaves out the final grade when the course gives none, and speaks English for an English diploma', async () => {
    const file = write('en.pdf', await renderCertificate(layout, content('Nguyễn Thị Minh Khai', { finalGrade: null, issueDate: '30 June 2027' }, 'en')));
    const extracted = text(file);
    expect(extracted).not.toMatch(/grade|Eindcijfer/i);
    expect(extracted).toContain('has successfully completed the course');
    expect(extracted).toContain('Issued on 30 June 2027');
  });

  it('carries a QR code that decodes to the verification URL', async () => {
    const file = write('qr.pdf', await renderCertificate(layout, content('Zoë Şahin-Łukasiewicz')));
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, join(dir, 'qr')]);
    const decoded = execFileSync('zbarimg', ['-q', '--raw', join(dir, 'qr.png')], { encoding: 'utf8' }).trim();
    expect(decoded).toBe(url);
  });

  it('is signed so that pdfsig finds the whole document signed and the signature valid', async () => {
    const signed = await signer.sign(await renderCertificate(layout, content('Zoë Şahin-Łukasiewicz')), {
      reason: 'Diploma D2027-000042',
      name: 'Instituut Noord',
      location: 'Utrecht, NL',
      contactInfo: 'info@example.nl',
    });
    const report = execFileSync('pdfsig', [write('signed.pdf', signed)], { encoding: 'utf8' });
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Registrar development diploma signing');
    expect(text(join(dir, 'signed.pdf'))).toContain('Zoë Şahin-Łukasiewicz');
  });

  it('shows a signed copy changed afterwards as no longer valid', async () => {
    const signed = await signer.sign(await renderCertificate(layout, content('Zoë Şahin-Łukasiewicz')), {
      reason: 'Diploma',
      name: 'Instituut Noord',
      location: 'NL',
      contactInfo: 'info@example.nl',
    });
    // One byte inside the first signed range changed (in the page's content).
    const tampered = Buffer.from(signed);
    tampered[2000] ^= 0x01;
    let report: string;
    try {
      report = execFileSync('pdfsig', [write('tampered.pdf', tampered)], { encoding: 'utf8' });
    } catch (error) {
      report = String((error as { stdout: string }).stdout);
    }
    expect(report).not.toContain('Signature is Valid');
  });

  it('makes the development certificate once and reads the same one again', () => {
    const again = developmentSigningCertificate(join(dir, 'data'));
    expect(again.p12.equals(certificate.p12)).toBe(true);
    expect(again.selfSigned).toBe(true);
  });

  it('refuses a certificate file with the wrong passphrase', () => {
    const file = write('other.p12', makeSelfSignedP12('Other', 'right-passphrase'));
    expect(() => readSigningCertificate(file, 'wrong')).toThrow(/cannot be opened/);
    expect(readSigningCertificate(file, 'right-passphrase').subject).toBe('Other');
  });

  it('refuses a layout naming an unknown field or font, naming the element', () => {
    const base = { page: { size: 'A4', orientation: 'landscape' }, fonts: { serif: 'dejavu-fonts-ttf/ttf/DejaVuSerif.ttf' } };
    expect(() => parseDiplomaLayout({ ...base, elements: [{ type: 'text', font: 'serif', size: 10, x: 0, y: 0, width: 10, text: '{{salary}}' }] }, dir)).toThrow(
      /elements\[0\].*unknown field \{\{salary\}\}/,
    );
    expect(() => parseDiplomaLayout({ ...base, elements: [{ type: 'text', font: 'gothic', size: 10, x: 0, y: 0, width: 10, text: 'x' }] }, dir)).toThrow(DiplomaLayoutError);
    expect(() => parseDiplomaLayout({ ...base, fonts: { serif: 'nowhere.ttf' }, elements: [] }, dir)).toThrow(/not found/);
  });
});

/** A PNG of one colour, standing in for a logo or a signature. */
function solidPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

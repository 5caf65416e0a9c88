import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** Where the development certificate is kept in DATA_DIR; the passphrase is in the file beside it. */
export const DEVELOPMENT_P12_FILE = 'diploma-signing.p12';
const PASSPHRASE_SUFFIX = '.passphrase';

export interface SigningCertificate {
  p12: Buffer;
  passphrase: string;
  /** The certificate's subject common name. */
  subject: string;
  selfSigned: boolean;
}

/** Reads a PKCS#12 file and checks that the passphrase opens it and that it holds a key and a certificate. */
export function readSigningCertificate(path: string, passphrase: string): SigningCertificate {
  const p12 = readFileSync(path);
  const { subject, selfSigned } = describe(p12, passphrase, path);
  return { p12, passphrase, subject, selfSigned };
}

/**
 * The development default: a self-signed certificate made once in DATA_DIR, so signing works
 * out of the box. Written aside and linked into place, so two processes booting at once
 * never read half a file and end up with the same certificate.
 */
export function developmentSigningCertificate(dataDir: string, commonName = 'Registrar development diploma signing'): SigningCertificate {
  const file = join(dataDir, DEVELOPMENT_P12_FILE);
  const existing = tryRead(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const passphrase = randomBytes(24).toString('base64url');
  const p12 = makeSelfSignedP12(commonName, passphrase);
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(`${draft}${PASSPHRASE_SUFFIX}`, passphrase, { mode: 0o600 });
  writeFileSync(draft, p12, { mode: 0o600 });
  try {
    // The passphrase first: whoever sees the certificate finds its passphrase.
    linkSync(`${draft}${PASSPHRASE_SUFFIX}`, `${file}${PASSPHRASE_SUFFIX}`);
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
    rmSync(`${draft}${PASSPHRASE_SUFFIX}`, { force: true });
  }
  return tryRead(file)!;
}

/** A PKCS#12 with a fresh RSA key and a self-signed certificate for document signing, valid ten years. */
export function makeSelfSignedP12(commonName: string, passphrase: string): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const attributes = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Registrar (development)' },
    { name: 'countryName', value: 'NL' },
  ];
  cert.setSubject(attributes);
  cert.setIssuer(attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des', friendlyName: commonName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function tryRead(file: string): SigningCertificate | undefined {
  let passphrase: string;
  try {
    passphrase = readFileSync(`${file}${PASSPHRASE_SUFFIX}`, 'utf8');
    readFileSync(file, { flag: 'r' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return readSigningCertificate(file, passphrase);
}

function describe(p12: Buffer, passphrase: string, path: string): { subject: string; selfSigned: boolean } {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), passphrase);
  } catch (error) {
    throw new Error(`The diploma signing certificate ${path} cannot be opened (wrong passphrase or not a PKCS#12 file): ${(error as Error).message}`);
  }
  const certificates = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keys = [
    ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certificate = certificates.find((bag) => bag.cert)?.cert;
  if (!certificate || keys.length === 0) throw new Error(`The diploma signing certificate ${path} holds no private key and certificate`);
  const subject = String(certificate.subject.getField('CN')?.value ?? 'unknown');
  return { subject, selfSigned: certificate.isIssuer(certificate) };
}

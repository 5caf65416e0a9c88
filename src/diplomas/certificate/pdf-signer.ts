import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { constants, createPrivateKey, KeyObject, privateEncrypt } from 'node:crypto';
import forge from 'node-forge';

export interface SignatureDetails {
  reason: string;
  name: string;
  location: string;
  contactInfo: string;
}

/** DER prefix of a DigestInfo for SHA-256 (RFC 8017, section 9.2): what RSASSA-PKCS1-v1_5 signs. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A PKCS#7 detached signature (adbe.pkcs7.detached, SHA-256, the attributes Adobe and the EU
 * validators expect) with the certificate and key read once. node-forge builds the PKCS#7
 * structure; the RSA operation is Node's (OpenSSL): forge's own, in JavaScript, took about
 * 45 ms a document, and @signpdf/signer-p12 decrypts the PKCS#12 anew for every signature.
 */
class P12DetachedSigner extends Signer {
  private readonly certificates: forge.pki.Certificate[];
  private readonly certificate: forge.pki.Certificate;
  private readonly key: KeyObject;
  /**
   * Room for the signature in the PDF, in bytes: the certificates it carries, the RSA value and
   * the signed attributes, with a margin. The placeholder is written as hex zeros, so a fixed
   * 8 KB made every diploma 16 KB larger, stored twice (the document and the mail).
   */
  readonly signatureLength: number;

  constructor(p12: Buffer, passphrase: string) {
    super();
    const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
    const bags = (type: string) => parsed.getBags({ bagType: type })[type] ?? [];
    this.certificates = bags(forge.pki.oids.certBag).flatMap((bag) => (bag.cert ? [bag.cert] : []));
    const forgeKey = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag), ...bags(forge.pki.oids.keyBag)].find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
    if (!forgeKey) throw new Error('The PKCS#12 file holds no private key');
    // The certificate whose public key matches the private key signs; the others are its chain.
    const certificate = this.certificates.find((cert) => {
      const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
      return publicKey.n.compareTo(forgeKey.n) === 0 && publicKey.e.compareTo(forgeKey.e) === 0;
    });
    if (!certificate) throw new Error('The PKCS#12 file holds no certificate for its private key');
    this.certificate = certificate;
    this.key = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
    const certificates = this.certificates.reduce((sum, cert) => sum + forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).length(), 0);
    this.signatureLength = certificates + forgeKey.n.bitLength() / 8 + 1024;
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    for (const certificate of this.certificates) p7.addCertificate(certificate);
    const key = this.key;
    p7.addSigner({
      // forge calls key.sign(md) with the digest of the authenticated attributes.
      key: {
        sign: (md: forge.md.MessageDigest) =>
          privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')])).toString('binary'),
      } as unknown as forge.pki.rsa.PrivateKey,
      certificate: this.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      // In this order, for EU signature validation (as @signpdf/signer-p12 does).
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

/**
 * Signs PDFs with one PKCS#12 certificate (a detached PKCS#7 over the whole file but the
 * signature itself), so a PDF reader shows that the document is unchanged since it was signed.
 */
export class PdfSigner {
  private readonly signPdf = new SignPdf();
  private readonly signer: P12DetachedSigner;

  constructor(
    p12: Buffer,
    passphrase: string,
    /** Who the certificate belongs to, for the answers (e.g. the certificate's subject). */
    readonly subject: string,
  ) {
    this.signer = new P12DetachedSigner(p12, passphrase);
  }

  async sign(pdf: Buffer, details: SignatureDetails): Promise<Buffer> {
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: details.reason,
      name: details.name,
      location: details.location,
      contactInfo: details.contactInfo,
      signatureLength: this.signer.signatureLength,
    });
    return this.signPdf.sign(withPlaceholder, this.signer);
  }
}

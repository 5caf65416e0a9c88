import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';

export interface SignatureDetails {
  reason: string;
  name: string;
  location: string;
  contactInfo: string;
}

/**
 * Signs PDFs with one PKCS#12 certificate (a detached PKCS#7 over the whole file but the
 * signature itself), so a PDF reader shows that the document is unchanged since it was signed.
 */
export class PdfSigner {
  private readonly signPdf = new SignPdf();

  constructor(
    private readonly p12: Buffer,
    private readonly passphrase: string,
    /** Who the certificate belongs to, for the answers (e.g. the certificate's subject). */
    readonly subject: string,
  ) {}

  async sign(pdf: Buffer, details: SignatureDetails): Promise<Buffer> {
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: details.reason,
      name: details.name,
      location: details.location,
      contactInfo: details.contactInfo,
      signatureLength: 8192,
    });
    // A P12Signer reads its certificate from a forge buffer that the first signature consumes
    // (@signpdf/signer-p12 3.3.0): one per document.
    return this.signPdf.sign(withPlaceholder, new P12Signer(this.p12, { passphrase: this.passphrase }));
  }
}

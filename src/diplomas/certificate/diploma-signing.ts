import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { BusinessRuleError } from '../../kernel/domain-errors';
import { lazyImport } from '../../kernel/lazy-import';
import type { PdfSigner } from './pdf-signer';

/** node-forge and @signpdf: loaded with the first certificate opened. */
const certificates = lazyImport(() => import('./signing-certificate'));
const pdfSigner = lazyImport(() => import('./pdf-signer'));

/**
 * The certificate that signs diplomas: the institute's (DIPLOMA_SIGNING_P12 and its password),
 * or outside production a self-signed one made in DATA_DIR when the first diploma is signed.
 * Production without one issues nothing, unless DIPLOMA_ALLOW_UNSIGNED says unsigned PDFs are acceptable.
 */
@Injectable()
export class DiplomaSigning implements OnModuleInit {
  private readonly logger = new Logger(DiplomaSigning.name);
  private loading?: Promise<PdfSigner | null>;

  constructor(private readonly env: Environment) {}

  async onModuleInit(): Promise<void> {
    // A wrong path or password of the institute's certificate stops the boot: better than a diploma
    // run that fails at its first document. The development certificate waits for the first diploma.
    if (this.env.DIPLOMA_SIGNING_P12) await this.signer();
  }

  /** The signer, or null when unsigned PDFs are allowed; refuses (422) when neither. */
  async current(): Promise<PdfSigner | null> {
    const signer = await this.signer();
    if (signer) return signer;
    if (this.env.DIPLOMA_ALLOW_UNSIGNED) return null;
    throw new BusinessRuleError(
      'diploma_signing_not_configured',
      'Diplomas are signed with the institute certificate: set DIPLOMA_SIGNING_P12 and DIPLOMA_SIGNING_PASSWORD (or DIPLOMA_ALLOW_UNSIGNED=true)',
    );
  }

  private signer(): Promise<PdfSigner | null> {
    return (this.loading ??= this.load());
  }

  private async load(): Promise<PdfSigner | null> {
    if (this.env.DIPLOMA_SIGNING_P12) {
      const { readSigningCertificate } = await certificates();
      const certificate = readSigningCertificate(this.env.DIPLOMA_SIGNING_P12, this.env.DIPLOMA_SIGNING_PASSWORD ?? '');
      if (certificate.selfSigned) this.logger.warn(`The diploma signing certificate "${certificate.subject}" is self-signed: readers will not trust it`);
      return new (await pdfSigner()).PdfSigner(certificate.p12, certificate.passphrase, certificate.subject);
    }
    if (!this.env.isProduction) {
      const certificate = (await certificates()).developmentSigningCertificate(this.env.DATA_DIR);
      return new (await pdfSigner()).PdfSigner(certificate.p12, certificate.passphrase, certificate.subject);
    }
    if (!this.env.DIPLOMA_ALLOW_UNSIGNED) {
      this.logger.warn('No DIPLOMA_SIGNING_P12: diplomas cannot be issued until one is configured (or DIPLOMA_ALLOW_UNSIGNED=true)');
    }
    return null;
  }
}

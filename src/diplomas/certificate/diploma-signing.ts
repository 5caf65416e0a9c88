import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Environment } from '../../config/environment';
import { BusinessRuleError } from '../../kernel/domain-errors';
import { PdfSigner } from './pdf-signer';
import { developmentSigningCertificate, readSigningCertificate } from './signing-certificate';

/**
 * The certificate that signs diplomas: the institute's (DIPLOMA_SIGNING_P12 and its password),
 * or outside production a self-signed one made in DATA_DIR at first boot. Production without
 * one issues nothing, unless DIPLOMA_ALLOW_UNSIGNED says unsigned PDFs are acceptable.
 */
@Injectable()
export class DiplomaSigning implements OnModuleInit {
  private readonly logger = new Logger(DiplomaSigning.name);
  private signer: PdfSigner | null = null;
  private loaded = false;

  constructor(private readonly env: Environment) {}

  onModuleInit(): void {
    this.load();
  }

  /** At boot, or at first use when another module's boot (the demo seed) issues diplomas first. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (this.env.DIPLOMA_SIGNING_P12) {
      // A wrong path or password stops the boot: better than a diploma run that fails at its first document.
      const certificate = readSigningCertificate(this.env.DIPLOMA_SIGNING_P12, this.env.DIPLOMA_SIGNING_PASSWORD ?? '');
      this.signer = new PdfSigner(certificate.p12, certificate.passphrase, certificate.subject);
      if (certificate.selfSigned) this.logger.warn(`The diploma signing certificate "${certificate.subject}" is self-signed: readers will not trust it`);
    } else if (!this.env.isProduction) {
      const certificate = developmentSigningCertificate(this.env.DATA_DIR);
      this.signer = new PdfSigner(certificate.p12, certificate.passphrase, certificate.subject);
    } else if (!this.env.DIPLOMA_ALLOW_UNSIGNED) {
      this.logger.warn('No DIPLOMA_SIGNING_P12: diplomas cannot be issued until one is configured (or DIPLOMA_ALLOW_UNSIGNED=true)');
    }
  }

  /** The signer, or null when unsigned PDFs are allowed; refuses (422) when neither. */
  current(): PdfSigner | null {
    this.load();
    if (this.signer) return this.signer;
    if (this.env.DIPLOMA_ALLOW_UNSIGNED) return null;
    throw new BusinessRuleError(
      'diploma_signing_not_configured',
      'Diplomas are signed with the institute certificate: set DIPLOMA_SIGNING_P12 and DIPLOMA_SIGNING_PASSWORD (or DIPLOMA_ALLOW_UNSIGNED=true)',
    );
  }
}

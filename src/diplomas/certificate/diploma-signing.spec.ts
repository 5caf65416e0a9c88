import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../config/environment';
import { BusinessRuleError } from '../../kernel/domain-errors';
import { DiplomaSigning } from './diploma-signing';
import { DEVELOPMENT_P12_FILE, makeSelfSignedP12 } from './signing-certificate';

describe('which certificate signs diplomas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diploma-signing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const production = (extra: Record<string, string> = {}) =>
    loadEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://registrar@db/registrar',
      JWT_SECRET: randomBytes(48).toString('base64'),
      SMTP_URL: 'smtp://mail.example.nl',
      MAIL_FROM: 'info@example.nl',
      DATA_DIR: join(dir, 'production'),
      ...extra,
    });
  const signing = async (env: ReturnType<typeof loadEnvironment>) => {
    const signing = new DiplomaSigning(env);
    await signing.onModuleInit();
    return signing;
  };

  it('in production without a certificate, refuses to issue unsigned, and makes no certificate of its own', async () => {
    await expect((await signing(production())).current()).rejects.toThrow(BusinessRuleError);
    await expect((await signing(production())).current()).rejects.toThrow(/DIPLOMA_SIGNING_P12/);
    expect(existsSync(join(dir, 'production', DEVELOPMENT_P12_FILE))).toBe(false);
  });

  it('in production, issues unsigned only when told to', async () => {
    expect(await (await signing(production({ DIPLOMA_ALLOW_UNSIGNED: 'true' }))).current()).toBeNull();
  });

  it("signs with the institute's PKCS#12, and stops the boot on a wrong password", async () => {
    const file = join(dir, 'institute.p12');
    writeFileSync(file, makeSelfSignedP12('Amstel Academie', 'geheim-wachtwoord'));
    const institute = await signing(production({ DIPLOMA_SIGNING_P12: file, DIPLOMA_SIGNING_PASSWORD: 'geheim-wachtwoord' }));
    expect((await institute.current())?.subject).toBe('Amstel Academie');
    await expect(signing(production({ DIPLOMA_SIGNING_P12: file, DIPLOMA_SIGNING_PASSWORD: 'fout' }))).rejects.toThrow(/cannot be opened/);
  });

  it('in development, makes a self-signed certificate in DATA_DIR with the first diploma and keeps it', async () => {
    const dataDir = join(dir, 'development');
    const env = loadEnvironment({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const booted = await signing(env);
    expect(existsSync(join(dataDir, DEVELOPMENT_P12_FILE))).toBe(false);
    const first = await booted.current();
    expect(first?.subject).toBe('Registrar development diploma signing');
    expect(statSync(join(dataDir, DEVELOPMENT_P12_FILE)).mode & 0o777).toBe(0o600);
    expect((await (await signing(env)).current())?.subject).toBe(first?.subject);
  });
});

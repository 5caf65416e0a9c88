import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../config/environment';
import { SECRET_FILE, signingSecret } from './signing-secret';

describe('signingSecret', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'registrar-secret-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('makes a random secret on first boot, readable by its owner only, and reads it back later', () => {
    const dataDir = join(root, 'not', 'there', 'yet');
    const first = signingSecret(loadEnvironment({ DATA_DIR: dataDir }));
    expect(Buffer.from(first, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    // A restart, a worker or the CLI on the same DATA_DIR: the same secret.
    expect(signingSecret(loadEnvironment({ DATA_DIR: dataDir }))).toBe(first);
    expect(signingSecret(loadEnvironment({ DATA_DIR: join(root, 'elsewhere') }))).not.toBe(first);
  });

  it('uses JWT_SECRET when it is set, and then writes nothing', () => {
    const secret = 'q7Vd0-Lm3xTz9Rk2Wb8YhN4cFj6Ps1Ae';
    expect(signingSecret(loadEnvironment({ DATA_DIR: root, JWT_SECRET: secret }))).toBe(secret);
    expect(() => readFileSync(join(root, SECRET_FILE))).toThrow(/ENOENT/);
  });
});

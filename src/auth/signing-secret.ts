import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../config/environment';

export const SECRET_FILE = 'jwt-secret';

/**
 * The secret that signs access tokens: JWT_SECRET, or (outside production, where the
 * environment requires JWT_SECRET) one made at random on first boot and kept in
 * `DATA_DIR/jwt-secret`, readable by its owner only. The API, the worker and the CLI on the
 * same DATA_DIR read the same file, so tokens survive a restart and are valid in each.
 */
export function signingSecret(env: Environment): string {
  if (env.JWT_SECRET !== undefined) return env.JWT_SECRET;
  const file = join(env.DATA_DIR, SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(env.DATA_DIR, { recursive: true });
  // Written aside and linked into place: two processes booting at once never read half a
  // secret, and the one that links second reads the first one's.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, randomBytes(48).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readSecret(file)!;
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

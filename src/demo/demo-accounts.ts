import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface DemoCredential {
  role: string;
  email: string;
  password: string;
}

/** Where the demo's passwords are kept for the person who started it: `DATA_DIR/demo-accounts.txt`. */
export function demoAccountsPath(dataDir: string): string {
  return resolve(dataDir, 'demo-accounts.txt');
}

/** One account a line: role, email, password, in columns that `awk` and people both read. */
export function formatDemoAccounts(credentials: DemoCredential[]): string {
  return credentials.map((c) => `  ${c.role.padEnd(12)} ${c.email.padEnd(40)} ${c.password}\n`).join('');
}

/**
 * Keeps the passwords that the database holds only as hashes, readable by the owner alone
 * (0600, set again when the file already existed with wider rights).
 */
export function writeDemoAccounts(path: string, credentials: DemoCredential[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const header = '# The demo accounts as seeded at the first boot. `npm run cli -- user:set-password --email …` sets a new password.\n';
  writeFileSync(path, header + formatDemoAccounts(credentials), { mode: 0o600 });
  chmodSync(path, 0o600);
}


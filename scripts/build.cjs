/**
 * `npm run build`: compiles to dist/ (nest build, with the swagger plugin) and stamps the
 * time the build started. With --if-stale (npm start, npm run worker) it builds only when
 * a source is newer than that stamp, so a restart with nothing changed starts at once.
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const process = require('node:process');

const root = dirname(require.resolve('../package.json'));
const stamp = join(root, 'dist', '.build-stamp');
/** Everything the build reads; a directory's own time changes when a file in it is added, renamed or removed. */
const INPUTS = ['src', 'migrations', 'bench', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
/** `npm install` writes the lock file again even when nothing changed: its content counts, kept in the stamp. */
const LOCK = join(root, 'package-lock.json');

function newestChange(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

function lockHash() {
  return createHash('sha256').update(readFileSync(LOCK)).digest('hex');
}

function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false });
  return !built || INPUTS.some((input) => newestChange(join(root, input)) > built.mtimeMs) || readFileSync(stamp, 'utf8') !== lockHash();
}

if (!process.argv.includes('--if-stale') || isStale()) {
  const started = new Date();
  const nest = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (nest.status !== 0) process.exit(nest.status ?? 1);
  // Stamped with the start time: a file saved during the build makes the next start build again.
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, lockHash());
  utimesSync(stamp, started, started);
}

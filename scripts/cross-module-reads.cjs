#!/usr/bin/env node
/**
 * Counts how often the code of a folder of src/ reaches into another module: entity imports from
 * another folder, and raw SQL that names another module's table (a table belongs to the folder
 * whose entity declares it; the few tables without an entity are listed below). Specs are left
 * out. Usage: node scripts/cross-module-reads.cjs [folder ...]   (default: every folder)
 *
 * A SQL mention is counted once per statement keyword that names the table (FROM, JOIN, INTO,
 * UPDATE, DELETE FROM, REFERENCES is not SQL of the code and is never in src/).
 */
const { readFileSync, readdirSync, statSync } = require('node:fs');
const { join, relative, dirname, resolve } = require('node:path');
const process = require('node:process');
const { log } = require('node:console');

const root = dirname(require.resolve('../package.json'));
const src = join(root, 'src');

/** Tables made by migrations without an entity, and the folder they belong to. */
const WITHOUT_ENTITY = {
  // The change count that tells advice its pool of open editions is stale (triggers on courses, editions, locations, enrolments).
  catalogue_change: 'advice',
  login_failure: 'auth',
  login_throttle: 'auth',
  mail_blob: 'mail',
  staff_notification: 'mail',
  staff_notification_preference: 'mail',
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !/\.(e2e-)?spec\.ts$/.test(path) ? [path] : [];
  });
}

const folderOf = (path) => relative(src, path).split('/')[0].replace(/\.ts$/, '');
const all = files(src);

const owner = new Map(Object.entries(WITHOUT_ENTITY));
for (const path of all) {
  for (const [, table] of readFileSync(path, 'utf8').matchAll(/@Entity\(\s*'([a-z_]+)'/g)) owner.set(table, folderOf(path));
}

const wanted = process.argv.slice(2);
const report = new Map();
for (const path of all) {
  const folder = folderOf(path);
  if (wanted.length > 0 && !wanted.includes(folder)) continue;
  const text = readFileSync(path, 'utf8');
  const counts = report.get(folder) ?? { entityImports: 0, typeImports: 0, sqlReads: 0, sqlWrites: 0, lines: [] };
  report.set(folder, counts);
  for (const [line, spec] of text.matchAll(/^import[^;]*?from '(\.[^']+\.entity)';/gm)) {
    const target = resolve(dirname(path), spec);
    if (folderOf(target) !== folder && target.startsWith(src)) {
      // `import type` of an entity file: the type of what another module's service returns, no use of its table.
      const typeOnly = /^import type /.test(line) || /^import \{\s*type /.test(line) && !/,\s*(?!type )\w/.test(line.replace(/^import \{\s*type \w+/, ''));
      counts[typeOnly ? 'typeImports' : 'entityImports']++;
      counts.lines.push(`${relative(root, path)}: ${line.replace(/\s+/g, ' ')}`);
    }
  }
  for (const [table, tableFolder] of owner) {
    if (tableFolder === folder) continue;
    for (const m of text.matchAll(new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+${table}\\b`, 'g'))) {
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      const write = m[1] === 'INTO' || m[1] === 'UPDATE' || /DELETE\s+$/.test(before);
      counts[write ? 'sqlWrites' : 'sqlReads']++;
      counts.lines.push(`${relative(root, path)}: ${write ? 'writes' : 'reads'} ${table} (${tableFolder})`);
    }
  }
}

const verbose = process.env.VERBOSE === '1';
for (const [folder, c] of [...report].sort()) {
  if (c.entityImports + c.typeImports + c.sqlReads + c.sqlWrites === 0) continue;
  log(
    `${folder}: ${c.sqlReads + c.entityImports + c.typeImports} reads and entity imports (${c.sqlReads} in SQL, ${c.entityImports + c.typeImports} entity imports of which ${c.typeImports} type-only), ${c.sqlWrites} SQL writes`,
  );
  if (verbose) for (const line of c.lines) log(`  ${line}`);
}

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The module rules of .dependency-cruiser.cjs (run by `npm run lint`) on a few small trees laid
 * out like src/: a forbidden import fails, an allowed one passes. The trees are tiny, so each
 * run takes a second or two rather than the whole source's cruise.
 */
const run = promisify(execFile);
const root = process.cwd();
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

async function cruise(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'module-rules-'));
  try {
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022' } }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const { stdout } = await run(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'err'], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    return { ok: false, output: failed.stdout ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const exporting = (name: string) => `export const ${name} = 1;\n`;
const importing = (name: string, from: string) => `import { ${name} } from '${from}';\nexport const uses = ${name};\n`;

/**
 * One tree, one cruise: the allowed imports in it must not be reported, each forbidden one must.
 * Every violation is one line of the `err` output: "error <rule>: <from> → <to>".
 */
const TREE: Record<string, string> = {
  // Allowed: downstream on upstream, everything on the kernel, demo on everything.
  'src/planning/editions.ts': importing('course', '../catalogue/course'),
  'src/catalogue/course.ts': importing('when', '../kernel/time'),
  'src/kernel/time.ts': exporting('when'),
  'src/invoicing/ledger.ts': importing('exam', '../exams/exam'),
  'src/exams/exam.ts': importing('seat', '../enrolment/seat'),
  'src/enrolment/seat.ts': exporting('seat'),
  'src/demo/seed.ts': importing('uses', '../invoicing/ledger'),
  // Forbidden: against the direction of the domain.
  'src/planning/roster.ts': importing('seat', '../enrolment/seat'),
  // Forbidden: diplomas on invoicing, invoicing on advice.
  'src/diplomas/register.ts': importing('uses', '../invoicing/ledger'),
  'src/invoicing/advised.ts': importing('advice', '../advice/advice'),
  'src/advice/advice.ts': exporting('advice'),
  // Forbidden: a domain module from below the domain; anything of ours from the kernel.
  'src/mail/outbox.ts': importing('seat', '../enrolment/seat'),
  'src/kernel/zone.ts': importing('env', '../config/env'),
  'src/config/env.ts': exporting('env'),
  // Forbidden: a cycle between folders without a cycle between files.
  'src/auth/role.ts': importing('check', '../database/check'),
  'src/database/check.ts': exporting('check'),
  'src/database/lock.ts': importing('problem', '../auth/problem'),
  'src/auth/problem.ts': exporting('problem'),
};

describe('module rules (.dependency-cruiser.cjs)', () => {
  let result: { ok: boolean; output: string };
  const violations = () => result.output.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('error '));

  beforeAll(async () => {
    result = await cruise(TREE);
  });

  it('fails the lint on a forbidden import', () => {
    expect(result.ok).toBe(false);
  });

  it('lets a module use what lies upstream of it, and demo use everything', () => {
    for (const from of ['src/planning/editions.ts', 'src/catalogue/course.ts', 'src/invoicing/ledger.ts', 'src/exams/exam.ts', 'src/demo/seed.ts']) {
      expect(violations().filter((line) => line.includes(`: ${from} `))).toEqual([]);
    }
  });

  it('fails an import against the direction of the domain', () => {
    expect(violations()).toContain('error domain-planning: src/planning/roster.ts → src/enrolment/seat.ts');
  });

  it('keeps invoicing and diplomas apart, and off advice', () => {
    expect(violations()).toContain('error domain-diplomas: src/diplomas/register.ts → src/invoicing/ledger.ts');
    expect(violations()).toContain('error domain-invoicing: src/invoicing/advised.ts → src/advice/advice.ts');
  });

  it('fails an import of a domain module from below the domain, and any import of ours from the kernel', () => {
    expect(violations()).toContain('error below-domain: src/mail/outbox.ts → src/enrolment/seat.ts');
    expect(violations()).toContain('error kernel-depends-on-nothing: src/kernel/zone.ts → src/config/env.ts');
  });

  it('fails a cycle between folders, even without a cycle between files', () => {
    expect(violations().filter((line) => line.startsWith('error no-folder-cycles:'))).not.toEqual([]);
  });
});

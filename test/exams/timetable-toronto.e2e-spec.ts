import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readTorontoInstance } from '../../src/exams/timetabler/toronto-reader';
import { verifyTimetable } from '../../src/exams/timetabler/verify-timetable';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const STA83 = resolve(ROOT, '..', 'shared', 'bench-data', 'toronto', 'sta-f-83');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile('node', [CLI, ...args], { cwd: ROOT }, (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

/** The built command line, as `npm run cli` runs it: the same check `npm start` makes builds only when a source is newer than dist/. */
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.cjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}, 300_000);

describe('npm run cli -- timetable:toronto', () => {
  it('writes "exam_id slot" for every exam of sta-f-83 within 13 slots, and the cost the checker finds on standard error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'timetable-')), 'sta83.sol');
    const run = await cli('timetable:toronto', STA83, '--slots', '13', '--seconds', '3', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');

    const { problem } = await readTorontoInstance(STA83);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).toEqual(problem.exams.map((exam) => exam.id));
    const slots = lines.map((line) => Number(line.split(' ')[1]));
    const check = verifyTimetable(
      problem.exams.map((exam) => exam.students),
      slots,
      13,
    );
    expect(check.feasible).toBe(true);
    const cost = Number(/cost: ([\d.]+)\n$/.exec(run.stderr)?.[1]);
    expect(cost).toBeCloseTo(check.cost, 3);
    expect(run.stderr).toContain('slots used: 13 of 13');
  }, 30_000);

  it('writes to standard output without --out', async () => {
    const run = await cli('timetable:toronto', STA83, '--slots', '13', '--seconds', '1');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(139);
    expect(run.stdout).toMatch(/^0001 \d+\n/);
  }, 30_000);

  it('refuses a .stu line naming an exam the .crs does not list, with the file and line', async () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'timetable-')), 'bad');
    writeFileSync(`${prefix}.crs`, '0001 1\r\n0002 1\r\n');
    writeFileSync(`${prefix}.stu`, '0001\r\n0002 0003\r\n');
    const run = await cli('timetable:toronto', prefix, '--slots', '2', '--seconds', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${prefix}.stu:2: exam 0003 is not in ${prefix}.crs\n`);
  }, 30_000);

  it('refuses a slot count that is not a whole number', async () => {
    const run = await cli('timetable:toronto', STA83, '--slots', 'many', '--seconds', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('--slots must be a whole number of at least 1, not "many"\n');
  }, 30_000);
});

import type { Command as Program } from 'commander';
import { writeFile } from 'node:fs/promises';
import { solveTimetable } from '../exams/timetabler/timetabler';
import { readTorontoInstance } from '../exams/timetabler/toronto-reader';
import { progressBar } from './progress-bar';

interface TimetableTorontoOptions {
  slots: string;
  seconds: string;
  out?: string;
  seed?: string;
}

/** Left for writing the answer and exiting, out of the command's `--seconds`. */
const EXIT_MARGIN_MS = 400;

/**
 * The exam timetabler on the Toronto benchmark's files, without the application or a
 * database: `--seconds` is the wall time of the whole command, start-up included.
 */
export function addTimetableTorontoCommand(cli: Program): void {
  cli
    .command('timetable:toronto')
    .argument('<prefix>', 'the instance: PREFIX.crs and PREFIX.stu')
    .description('Timetable PREFIX.crs and PREFIX.stu; writes "exam_id slot" lines (slots from 0), the cost on standard error')
    .requiredOption('--slots <count>', 'number of timeslots')
    .requiredOption('--seconds <seconds>', 'time limit of the whole command')
    .option('--out <file>', 'write the timetable here instead of to standard output')
    .option('--seed <seed>', 'seed of the searches (1 by default)')
    .action((prefix: string, options: TimetableTorontoOptions) => timetableToronto(prefix, options));
}

async function timetableToronto(prefix: string, options: TimetableTorontoOptions): Promise<void> {
  const slots = wholeNumber('--slots', options.slots);
  const seconds = positiveNumber('--seconds', options.seconds);
  const seed = options.seed === undefined ? undefined : wholeNumber('--seed', options.seed);
  const { problem } = await readTorontoInstance(prefix);
  const timeLimitMs = Math.max(0, seconds * 1000 - process.uptime() * 1000 - EXIT_MARGIN_MS);
  const bar = progressBar('Timetabling', '{value}/{total} s | best cost {cost}');
  bar.start(seconds, 0, { cost: '–' });
  const timetable = await solveTimetable(
    { ...problem, slotCount: slots },
    {
      timeLimitMs,
      seed,
      onProgress: (progress) => bar.update(Math.round(progress.elapsedMs / 100) / 10, { cost: progress.bestCost?.toFixed(3) ?? '–' }),
    },
  );
  bar.update(seconds);
  bar.stop();

  const lines = problem.exams.flatMap((exam, index) => (timetable.slots[index] === null ? [] : [`${exam.id} ${timetable.slots[index]}\n`]));
  if (options.out) await writeFile(options.out, lines.join(''));
  else process.stdout.write(lines.join(''));
  for (const { examId, reason } of timetable.unplaced) process.stderr.write(`exam ${examId} not placed: ${reason}\n`);
  if (timetable.unplaced.length) process.exitCode = 1;
  process.stderr.write(`slots used: ${timetable.slotsUsed} of ${slots}\n`);
  process.stderr.write(`cost: ${timetable.cost.toFixed(4)}\n`);
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${flag} must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}

function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${flag} must be a positive number, not "${value}"`);
  return number;
}

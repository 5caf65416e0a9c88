import { writeFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { solveTimetable } from '../exams/timetabler/timetabler';
import { readTorontoInstance } from '../exams/timetabler/toronto-reader';
import { progressBar } from './progress-bar';

export interface TimetableTorontoOptions {
  slots: number;
  seconds: number;
  out?: string;
  seed?: number;
}

/** Left for writing the answer and exiting, out of the command's `--seconds`. */
const EXIT_MARGIN_MS = 400;

/**
 * The exam timetabler on the Toronto benchmark's files, without the application or a
 * database: `--seconds` is the wall time of the whole command, start-up included.
 */
@Command({
  name: 'timetable:toronto',
  arguments: '<prefix>',
  description: 'Timetable PREFIX.crs and PREFIX.stu; writes "exam_id slot" lines (slots from 0), the cost on standard error',
})
export class TimetableTorontoCommand extends CommandRunner {
  async run([prefix]: string[], options: TimetableTorontoOptions): Promise<void> {
    const { problem } = await readTorontoInstance(prefix);
    const timeLimitMs = Math.max(0, options.seconds * 1000 - process.uptime() * 1000 - EXIT_MARGIN_MS);
    const bar = progressBar('Timetabling', '{value}/{total} s | best cost {cost}');
    bar.start(options.seconds, 0, { cost: '–' });
    const timetable = await solveTimetable(
      { ...problem, slotCount: options.slots },
      {
        timeLimitMs,
        seed: options.seed,
        onProgress: (progress) => bar.update(Math.round(progress.elapsedMs / 100) / 10, { cost: progress.bestCost?.toFixed(3) ?? '–' }),
      },
    );
    bar.update(options.seconds);
    bar.stop();

    const lines = problem.exams.flatMap((exam, index) => (timetable.slots[index] === null ? [] : [`${exam.id} ${timetable.slots[index]}\n`]));
    if (options.out) await writeFile(options.out, lines.join(''));
    else process.stdout.write(lines.join(''));
    for (const { examId, reason } of timetable.unplaced) process.stderr.write(`exam ${examId} not placed: ${reason}\n`);
    if (timetable.unplaced.length) process.exitCode = 1;
    process.stderr.write(`slots used: ${timetable.slotsUsed} of ${options.slots}\n`);
    process.stderr.write(`cost: ${timetable.cost.toFixed(4)}\n`);
  }

  @Option({ flags: '--slots <count>', description: 'number of timeslots', required: true })
  parseSlots(value: string): number {
    return wholeNumber('--slots', value);
  }

  @Option({ flags: '--seconds <seconds>', description: 'time limit of the whole command', required: true })
  parseSeconds(value: string): number {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds must be a positive number, not "${value}"`);
    return seconds;
  }

  @Option({ flags: '--out <file>', description: 'write the timetable here instead of to standard output' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--seed <seed>', description: 'seed of the searches (1 by default)' })
  parseSeed(value: string): number {
    return wholeNumber('--seed', value);
  }
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${flag} must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}

import { SingleBar } from 'cli-progress';
import { JobsService } from '../jobs/jobs.service';

/**
 * A progress bar on standard error (plain lines when it is not a terminal, so CI logs stay
 * readable); `detail` is the part after the bar, in cli-progress's placeholders.
 */
export function progressBar(title: string, detail = '{value}/{total} | {duration_formatted}'): SingleBar {
  return new SingleBar({
    format: `${title} [{bar}] {percentage}% | ${detail}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
}

/** Runs a queue's work in the CLI process with a progress bar on the terminal. */
export async function runWithProgressBar<T extends object, R>(jobs: JobsService, title: string, queue: string, data: T): Promise<R> {
  const bar = progressBar(title);
  bar.start(1, 0);
  try {
    return await jobs.runHere<T, R>(queue, data, (done, total) => {
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    });
  } finally {
    bar.stop();
  }
}

import { SingleBar } from 'cli-progress';
import { JobsService } from '../jobs/jobs.service';

/**
 * Runs a queue's work in the CLI process with a progress bar on the terminal (plain lines
 * when the output is not a terminal, so CI logs stay readable).
 */
export async function runWithProgressBar<T extends object, R>(jobs: JobsService, title: string, queue: string, data: T): Promise<R> {
  const bar = new SingleBar({
    format: `${title} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
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

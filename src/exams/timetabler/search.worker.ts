import { parentPort, workerData } from 'node:worker_threads';
import { runSearch, SearchInput } from './search-run';

/** One independent search on its own thread; see `timetabler.ts`. */
const input = workerData as SearchInput;
const outcome = runSearch(input, (bestPenalty) => parentPort!.postMessage({ kind: 'progress', bestPenalty }));
parentPort!.postMessage({ kind: 'done', ...outcome });

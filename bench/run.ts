import 'reflect-metadata';
import { BENCHMARKS } from './benchmarks';

/** `npm run bench -- <name>`: runs one benchmark (or all, without a name). */
async function main(): Promise<void> {
  const name = process.argv[2];
  const names = name ? [name] : Object.keys(BENCHMARKS);
  for (const each of names) {
    const benchmark = BENCHMARKS[each];
    if (!benchmark) {
      process.stderr.write(`Unknown benchmark "${each}". Known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
      process.exit(2);
    }
    await benchmark();
  }
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});

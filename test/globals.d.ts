import type { ScratchDatabase } from '../src/database/scratch-database';

declare global {
  var __REGISTRAR_TEST_DATABASE__: ScratchDatabase | undefined;
}

export {};

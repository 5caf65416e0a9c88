import type { EmbeddedDatabase } from '../src/database/embedded-database';

declare global {
  var __REGISTRAR_TEST__:
    | { embedded?: EmbeddedDatabase; dataDir?: string; serverUrl?: string; database?: string }
    | undefined;
}

export {};

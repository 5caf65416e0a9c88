import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__REGISTRAR_TEST__;
  if (!state) return;
  if (state.embedded) {
    await state.embedded.stop();
    rmSync(state.dataDir!, { recursive: true, force: true });
  } else if (state.serverUrl && state.database) {
    const admin = new Client({ connectionString: state.serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${state.database} WITH (FORCE)`);
    await admin.end();
  }
}

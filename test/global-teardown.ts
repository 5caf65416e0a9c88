import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  rmSync(process.env.REGISTRAR_TEST_DATA_DIR!, { recursive: true, force: true });
  await globalThis.__REGISTRAR_TEST_DATABASE__?.drop();
}

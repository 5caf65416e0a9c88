export default async function globalTeardown(): Promise<void> {
  await globalThis.__REGISTRAR_TEST_DATABASE__?.drop();
}

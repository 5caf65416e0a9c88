/**
 * A module loaded at its first use, then kept: for the heavy libraries (PDF, fonts, XML,
 * signing, mail parsing) that some requests need and the boot does not. Each of them took
 * tens to hundreds of milliseconds to load, and the server loaded them all before it answered.
 *
 *   const pdfKit = lazyImport(() => import('pdfkit'));
 *   …
 *   const { default: PDFDocument } = await pdfKit();
 *
 * `import()` is a `require` in the build and an ESM import under jest, so the one form serves
 * both, typed by the module it names. A failed load is tried again at the next use.
 */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

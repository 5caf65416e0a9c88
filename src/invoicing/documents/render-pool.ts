import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { lazyImport } from '../../kernel/lazy-import';
import type { RenderedDocuments } from './document-renderer';
import type { InvoiceDocument } from './invoice-document';

/** pdfkit, fontkit and xmlbuilder2, for rendering in this thread: needed only where no worker script exists. */
const documentRenderer = lazyImport(() => import('./document-renderer'));

/** The compiled worker beside this file; absent when this runs as TypeScript (jest). */
function workerScript(): string | null {
  if (typeof __dirname !== 'string') return null;
  const script = join(__dirname, 'render.worker.js');
  return existsSync(script) ? script : null;
}

/**
 * Renders PDFs and e-invoices on worker threads (one per core), so a batch uses every core;
 * in-process where no compiled worker exists (tests running the TypeScript).
 */
export class RenderPool {
  private readonly pool: Piscina | null;

  constructor(threads = availableParallelism()) {
    const script = workerScript();
    // Threads start with the first run, not at boot: a server that never renders an invoice never pays for them.
    this.pool = script ? new Piscina({ filename: script, minThreads: 0, maxThreads: threads, idleTimeout: 60_000 }) : null;
  }

  get threaded(): boolean {
    return this.pool !== null;
  }

  async render(doc: InvoiceDocument): Promise<RenderedDocuments> {
    if (!this.pool) return (await documentRenderer()).renderDocuments(doc);
    const result = (await this.pool.run(doc)) as RenderedDocuments;
    return { ...result, pdf: Buffer.from(result.pdf.buffer, result.pdf.byteOffset, result.pdf.byteLength) };
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataError, type DataErrorCode, type DataLocation } from '../data/dataError';
import { type FileAccess, nodeFileAccess } from '../data/fileAccess';
import { rememberTextScan, type TextScan } from '../data/textScan';

/** What the scan worker (textScanWorker.ts) is given and answers. */
export interface TextScanRequest {
  readonly file: string;
}
export type TextScanReply = { readonly file: string; readonly stamp?: string } & (
  | { readonly scan: TextScan }
  | { readonly error: { readonly where: DataLocation; readonly detail: string; readonly code: DataErrorCode } }
);

/** A scan of a 150 MB text holds a 1 MiB buffer and the vocabulary; a runaway one stops here. */
const WORKER_HEAP_MB = 256;
/** Many model files on many large texts scan two at a time (the machine may have two cores). */
const MAX_RUNNING = 2;

/**
 * Scans large text data files in worker threads for the editor, so the extension host's thread
 * never reads a whole large file (150 MB took 2.6 s there, blocking hovers and everything else).
 * Each result is cached by the file's stamp (data/textScan.ts), where validation finds it when
 * the listeners run it again. One worker per file at a time, two at most; each exits when it has answered.
 */
export class BackgroundTextScans {
  private readonly running = new Map<string, { worker: Worker; done: Promise<void> }>();
  private readonly waiting: string[] = [];
  private readonly listeners = new Set<(file: string) => void>();

  constructor(private readonly script = defaultScript()) {}

  /** `files` with its large text scans done here, in the background. */
  fileAccess(files: FileAccess): FileAccess {
    return { ...files, scanElsewhere: (file) => this.scan(file) };
  }

  /**
   * Scans `file` unless a scan of it is running or waiting; listeners hear when its result is
   * cached. At most MAX_RUNNING workers at once: the others wait their turn.
   */
  scan(file: string): void {
    if (this.running.has(file) || this.waiting.includes(file)) return;
    if (this.running.size >= MAX_RUNNING) {
      this.waiting.push(file);
      return;
    }
    const worker = new Worker(this.script, {
      workerData: { file } satisfies TextScanRequest,
      name: 'glassbox-text-scan',
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const done = new Promise<void>((resolve) => {
      let replied = false;
      let failure = 'it stopped';
      worker.once('message', (r: TextScanReply) => {
        replied = true;
        if (r.stamp === undefined) return; // gone meanwhile: validation finds that by itself
        rememberTextScan(
          r.file,
          r.stamp,
          'scan' in r ? r.scan : new DataError(r.file, r.error.where, r.error.detail, r.error.code),
        );
      });
      worker.once('error', (e) => (failure = e.message));
      worker.once('exit', () => {
        // A worker that died without an answer (out of memory, say) leaves an error for this
        // version of the file, so validation does not start it again and again.
        const stamp = nodeFileAccess.stamp?.(file);
        if (!replied && stamp !== undefined)
          rememberTextScan(file, stamp, new DataError(file, {}, `cannot read the file (${failure})`, 'dataUnreadable'));
        this.running.delete(file);
        const next = this.waiting.shift();
        if (next !== undefined) this.scan(next);
        resolve();
        for (const l of [...this.listeners]) l(file);
      });
    });
    this.running.set(file, { worker, done });
  }

  /** Calls `listener` with the file whenever a scan has ended (its result is then cached). */
  onDidScan(listener: (file: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves when no scan is running (scans started meanwhile included). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  dispose(): void {
    this.waiting.length = 0;
    this.listeners.clear();
    for (const r of this.running.values()) void r.worker.terminate();
  }
}

/** In a checkout the worker sits beside this file (out/src/worker); in the bundles, beside extension.js. */
function defaultScript(): string {
  const beside = join(__dirname, 'textScanWorker.js');
  return existsSync(beside) ? beside : join(__dirname, '..', 'worker', 'textScanWorker.js');
}

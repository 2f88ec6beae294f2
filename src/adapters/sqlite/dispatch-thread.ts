/**
 * The main thread's end of dispatch-writer-worker.ts, shared by the outbox and the destination
 * store of one database file. The worker starts with the first call (a CLI command that only lists
 * dead letters never starts it) and stops when the last of its users closes.
 */
import type { Worker } from 'node:worker_threads';
import { toStorageError } from '../../storage-error.js';
import { startSiblingWorker } from '../../util/sibling-module.js';
import type { DispatchRequest } from './dispatch-writer-worker.js';

type Reply = { seq: number; value?: unknown; error?: { message: string; code: string | null } };
type Distributive<T> = T extends unknown ? Omit<T, 'seq'> : never;
export type DispatchCall = Distributive<Exclude<DispatchRequest, { op: 'close' }>>;

export class DispatchThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private users = 0;

  constructor(
    private readonly path: string,
    private readonly busyTimeoutMs = 5000,
  ) {}

  /** A port that calls this thread; close it with release(). */
  acquire(): this {
    this.users++;
    return this;
  }

  /**
   * Starts the worker now if it is not running: a dispatcher's first claim with nothing to claim
   * does, so the thread's start (a second or two under tsx on a loaded machine) is not paid by the
   * first row later.
   */
  warm(): void {
    this.worker ??= this.start();
  }

  call(req: DispatchCall): Promise<unknown> {
    const worker = (this.worker ??= this.start());
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...req, seq });
    }).finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
  }

  private start(): Worker {
    const worker = startSiblingWorker(import.meta.url, 'dispatch-writer-worker', {
      workerData: { path: this.path, busyTimeoutMs: this.busyTimeoutMs },
    });
    worker.on('message', (m: Reply) => {
      const waiting = this.pending.get(m.seq);
      if (!waiting) return;
      this.pending.delete(m.seq);
      if (m.error) waiting.reject(toStorageError('outbox dispatch write failed', m.error));
      else waiting.resolve(m.value);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [seq, waiting] of this.pending) {
        this.pending.delete(seq);
        waiting.reject(toStorageError('outbox dispatch writer stopped', err));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    worker.unref();
    return worker;
  }

  /** One user closed: the last one stops the worker (after the calls already sent). */
  async release(): Promise<void> {
    if (--this.users > 0) return;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    const seq = ++this.seq;
    this.pending.set(seq, { resolve: () => undefined, reject: () => undefined });
    worker.ref(); // keep the process alive until the worker is gone
    worker.postMessage({ op: 'close', seq });
    await exited;
    this.worker = undefined;
  }
}

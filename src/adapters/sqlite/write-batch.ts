/**
 * Writes that many callers make at once, committed together: each caller's item waits for the next
 * turn of the event loop, then one transaction runs them all and each caller gets its own result.
 * With SQLite in WAL and synchronous=FULL every commit is an fsync on the event loop's thread; one
 * per batch instead of one per send is what lets sends run in the thousands a second
 * (docs/benchmarks.md, "Sending").
 */
import type { SqliteDatabase } from './open-database.js';
import { transientSqlite } from './transient-sqlite.js';

interface Waiting<I, R> {
  readonly item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class WriteBatch<I, R> {
  private waiting: Array<Waiting<I, R>> = [];
  private scheduled = false;

  constructor(
    private readonly db: SqliteDatabase,
    /** Runs inside the transaction, once per item, in order. */
    private readonly write: (item: I) => R,
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    let results: R[];
    try {
      results = transientSqlite('send store', () =>
        this.db.transaction(() => batch.map((w) => this.write(w.item)))(),
      );
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as R));
  }
}

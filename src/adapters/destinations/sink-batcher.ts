/**
 * Group commit for the database sinks: every send waiting for a statement joins the next one, so a
 * busy destination writes many events per INSERT (up to `maxRows`) instead of one round trip each,
 * while each send still gets its own outcome. Rows handed in during one turn of the event loop go
 * together; rows arriving while statements run wait for the next. A statement refused for one row's
 * data (not for the connection) is written again row by row, so one bad row fails alone.
 */
import type { SinkRow } from '../../core/destinations/sink-row.js';

export interface SinkWrite {
  /**
   * Inserts the rows in one statement (a repeated event key changes nothing); resolves with how many
   * were new. Rows come sorted by event key, so two statements at once lock keys in the same order.
   */
  readonly write: (rows: readonly SinkRow[]) => Promise<number>;
  /** Two statements (or two workers) locked each other and the server gave one up: worth one more try. */
  readonly isDeadlock: (err: unknown) => boolean;
  /** The error is about a row's values (data too long, invalid JSON…), not the database or the connection. */
  readonly isRowError: (err: unknown) => boolean;
  /** Most rows in one statement. */
  readonly maxRows: number;
  /** Statements in flight at once. */
  readonly parallel: number;
}

/** What one send learns: the size of the statement it was part of and how many rows of it were new. */
export interface SinkWritten {
  readonly batch: number;
  readonly inserted: number;
}

interface Waiting {
  readonly row: SinkRow;
  readonly resolve: (w: SinkWritten) => void;
  readonly reject: (err: unknown) => void;
}

export class SinkBatcher {
  private queue: Waiting[] = [];
  private running = 0;
  private scheduled = false;

  constructor(private readonly o: SinkWrite) {}

  add(row: SinkRow): Promise<SinkWritten> {
    return new Promise<SinkWritten>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.o.parallel) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.o.parallel && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.o.maxRows);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async run(batch: readonly Waiting[]): Promise<void> {
    const rows = batch.map((w) => w.row).sort((a, b) => (a.eventKey < b.eventKey ? -1 : 1));
    try {
      const inserted = await this.o.write(rows).catch((err: unknown) => {
        if (this.o.isDeadlock(err)) return this.o.write(rows);
        throw err;
      });
      for (const w of batch) w.resolve({ batch: batch.length, inserted });
    } catch (err) {
      if (batch.length === 1 || !this.o.isRowError(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (const w of batch)
        await this.o.write([w.row]).then(
          (inserted) => w.resolve({ batch: 1, inserted }),
          (e: unknown) => w.reject(e),
        );
    }
  }
}

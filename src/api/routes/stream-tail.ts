import type { ServerResponse } from 'node:http';
import type { EventQuery, ReadStore } from '../../ports/read-store.js';
import { sseFrame } from '../sse-frame.js';
import { sseChunk } from '../sse-chunk.js';
import { CoalescedRun } from '../coalesced-run.js';

const PAGE = 500;

/**
 * Sends a stream's events from the database after lastId. Read page by page, and the next page only
 * once the client has taken the last one: a slow client waits on its own cursor instead of
 * growing a buffer in this process without bound (the events stay in the database meanwhile).
 */
export class Tail {
  private readonly pumps = new CoalescedRun(
    () => this.sendAfterLastId(),
    () => !this.ended(),
  );
  constructor(
    private readonly store: ReadStore,
    private readonly res: ServerResponse,
    private readonly filter: EventQuery,
    private lastId: string,
    private readonly gzip = false,
  ) {}

  /** The id of the last event sent (or the starting point). */
  get position(): string {
    return this.lastId;
  }

  /** Sends everything after lastId; one pump at a time, re-run if notified meanwhile. */
  pump(): Promise<void> {
    return this.pumps.run();
  }

  private async sendAfterLastId(): Promise<void> {
    for (;;) {
      const events = await this.store.eventsAfter(this.lastId, this.filter, PAGE);
      // Ended (shutdown) while the read was in flight: writing now would be a write-after-end.
      if (this.ended()) return;
      if (events.length > 0) {
        this.res.write(sseChunk(events.map(sseFrame).join(''), this.gzip));
        this.lastId = (events.at(-1) as (typeof events)[number]).id;
      }
      await this.drained();
      if (this.ended() || events.length < PAGE) return;
    }
  }

  private ended(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  /** Resolves once the client has taken what was written (or has gone). */
  private drained(): Promise<void> {
    const res = this.res;
    if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
}

import type { ServerResponse } from 'node:http';
import type { EventFilter, ProcessingStore } from '../../ports/processing-store.js';
import type { ApiRoute } from '../api-router.js';
import type { LiveConnections } from '../live-connections.js';
import { sendError } from '../send.js';
import { parseEventFilter } from '../event-filter-params.js';
import { eventJson } from '../event-json.js';

/** Catch up from the database this often too: events committed by another process have no in-process notice. */
const TICK_MS = 1000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;

class Tail {
  private pumping = false;
  private again = false;
  constructor(
    private readonly store: ProcessingStore,
    private readonly res: ServerResponse,
    private readonly filter: EventFilter,
    private lastId: string,
  ) {}

  /** Sends everything after lastId; one pump at a time, re-run if notified meanwhile. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const events = await this.store.eventsAfter(this.lastId, this.filter, PAGE);
          if (this.res.destroyed) return;
          for (const e of events) {
            this.res.write(`id: ${e.id}\nevent: ${e.event.name}\ndata: ${JSON.stringify(eventJson(e))}\n\n`);
            this.lastId = e.id;
          }
          if (events.length < PAGE) break;
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }
}

/** GET /api/v1/stream: Server-Sent Events of events as they are committed; resumes from Last-Event-ID. */
export function streamRoutes(store: ProcessingStore, live: LiveConnections): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/stream',
      summary:
        'Server-Sent Events of events as they are committed (same filters as /events; Last-Event-ID resumes)',
      handler: async ({ req, res, query }) => {
        const parsed = parseEventFilter(query);
        if ('error' in parsed) return sendError(res, 'BAD_REQUEST', parsed.error);
        const from = req.headers['last-event-id'] ?? query.get('after');
        const start = typeof from === 'string' && /^\d+$/.test(from) ? from : await store.lastEventId();
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-accel-buffering': 'no',
        });
        res.write(`retry: 2000\n: stream from event ${start}\n\n`);
        const tail = new Tail(store, res, parsed.filter, start);
        const pump = () => tail.pump().catch(() => res.destroy());
        const unsubscribe = store.onCommit(pump);
        const tick = setInterval(pump, TICK_MS);
        const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const unregister = live.add(() => res.end());
        res.once('close', () => {
          unsubscribe();
          unregister();
          clearInterval(tick);
          clearInterval(beat);
        });
        void pump();
      },
    },
  ];
}

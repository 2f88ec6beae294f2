import type { ServerResponse } from 'node:http';
import type { EventQuery, ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import type { LiveConnections } from '../live-connections.js';
import { sendError } from '../send.js';
import { EVENT_FILTER_PARAMS, parseEventQuery } from '../event-filter-params.js';
import { eventJson } from '../../events/event-json.js';

/** Catch up from the database this often too: events committed by another process have no in-process notice. */
const TICK_MS = 1000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;

/**
 * Sends a stream's events from the database after lastId. Read page by page, and the next page only
 * once the client has taken the last one: a slow client waits on its own cursor instead of
 * growing a buffer in this process without bound (the events stay in the database meanwhile).
 */
export class Tail {
  private pumping = false;
  private again = false;
  constructor(
    private readonly store: ReadStore,
    private readonly res: ServerResponse,
    private readonly filter: EventQuery,
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
          // Ended (shutdown) while the read was in flight: writing now would be a write-after-end.
          if (this.res.destroyed || this.res.writableEnded) return;
          for (const e of events) {
            this.res.write(`id: ${e.id}\nevent: ${e.event.name}\ndata: ${JSON.stringify(eventJson(e))}\n\n`);
            this.lastId = e.id;
          }
          await this.drained();
          if (this.res.destroyed || this.res.writableEnded) return;
          if (events.length < PAGE) break;
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
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

/**
 * Where a stream starts: after the event named by Last-Event-ID (an EventSource reconnecting) or
 * `?after=`, else after the newest event. A value that is no event id is refused, not taken for
 * "from now": starting from now would skip, without a word, every event since the client's last one.
 */
export function resumePoint(
  header: string | string[] | undefined,
  after: string | null,
): { after: string | undefined } | { error: string } {
  const [name, raw] =
    typeof header === 'string' && header !== '' ? ['Last-Event-ID', header] : ['after', after];
  if (raw === null || raw === '') return { after: undefined };
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id))
    return {
      error: `${name} must be the id of an event (digits), e.g. the id: line of the last event received`,
    };
  return { after: String(id) };
}

/** GET /api/v1/stream: Server-Sent Events of events as they are committed; resumes from Last-Event-ID. */
export function streamRoutes(store: ReadStore, live: LiveConnections): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/stream',
      summary:
        'Server-Sent Events of events as they are committed (same filters as /events; Last-Event-ID resumes)',
      params: [
        ...EVENT_FILTER_PARAMS,
        {
          name: 'after',
          description: 'Start after this event id (default: after the newest event)',
          schema: { type: 'string', pattern: '^\\d+$' },
        },
        {
          name: 'Last-Event-ID',
          in: 'header',
          description: 'Sent by EventSource on reconnect: resume after this event id (wins over after)',
          schema: { type: 'string', pattern: '^\\d+$' },
        },
      ],
      responses: {
        '200': {
          description: 'One `id:`/`event:`/`data:` frame per event; data is an Event',
          contentType: 'text/event-stream',
        },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ req, res, query }) => {
        const parsed = parseEventQuery(query);
        if ('error' in parsed) return sendError(res, parsed.code, parsed.error);
        const resume = resumePoint(req.headers['last-event-id'], query.get('after'));
        if ('error' in resume) return sendError(res, 'BAD_REQUEST', resume.error);
        const start = resume.after ?? (await store.lastEventId());
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
        let unregister = (): void => undefined;
        const detach = () => {
          unsubscribe();
          unregister();
          clearInterval(tick);
          clearInterval(beat);
        };
        // Shutdown ends the stream (at once, inside add, when it already began): detach first, since
        // a write between end() and 'close' is a write-after-end that node:http raises as an
        // uncaught error (the process would crash).
        unregister = live.add(() => {
          detach();
          res.end();
        });
        res.once('close', detach);
        void pump();
      },
    },
  ];
}

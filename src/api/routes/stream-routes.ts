import type { ReadStore } from '../../ports/read-store.js';
import { StreamFanOut } from '../stream-fan-out.js';
import type { ApiRoute } from '../api-router.js';
import type { LiveConnections } from '../live-connections.js';
import { sendError } from '../send.js';
import { EVENT_FILTER_PARAMS, parseEventQuery } from '../event-filter-params.js';
import { GZIP_STREAM_HEADER, sseChunk } from '../sse-chunk.js';
import { acceptsGzip } from '../accepts-gzip.js';

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
export function streamRoutes(
  store: ReadStore,
  live: LiveConnections,
  options: { maxStreams?: number } = {},
): ApiRoute[] {
  const fanOut = new StreamFanOut(store, options.maxStreams ?? 100);
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
        '503': { description: 'WHARF_MAX_STREAMS streams are open already; retry later', schema: 'Error' },
      },
      handler: async ({ req, res, query }) => {
        const parsed = parseEventQuery(query);
        if ('error' in parsed) return sendError(res, parsed.code, parsed.error);
        if (fanOut.full)
          return sendError(res, 'OVERLOADED', `${fanOut.maxStreams} streams are open (WHARF_MAX_STREAMS)`, {
            'retry-after': '5',
          });
        const resume = resumePoint(req.headers['last-event-id'], query.get('after'));
        if ('error' in resume) return sendError(res, 'BAD_REQUEST', resume.error);
        const start = resume.after ?? (await store.lastEventId());
        // gzip, when asked for: the events of one batch share most of their bytes, and the bytes
        // written to the streams, not the work per event, are what streams cost ingest.
        const gzip = acceptsGzip(req.headers['accept-encoding']);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-accel-buffering': 'no',
          vary: 'accept-encoding',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        if (gzip) res.write(GZIP_STREAM_HEADER);
        res.write(sseChunk(`retry: 2000\n: stream from event ${start}\n\n`, gzip));
        let detach = (): void => undefined;
        let ended = false;
        // Shutdown ends the stream (at once, inside add, when it already began): detach first, since
        // a write between end() and 'close' is a write-after-end that node:http raises as an
        // uncaught error (the process would crash).
        const unregister = live.add(() => {
          ended = true;
          detach();
          res.end();
        });
        res.once('close', () => {
          ended = true;
          unregister();
          detach();
        });
        if (ended) return;
        const leave = await fanOut.join(res, parsed.filter, start, gzip).catch(() => {
          res.destroy();
          return () => undefined;
        });
        if (ended) return leave();
        detach = leave;
      },
    },
  ];
}

import type { Outbox, OutboxRow } from '../../ports/outbox.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { PAGE_PARAMS, parseLimit } from '../parse-limit.js';
import { readBody } from '../read-body.js';
import { parseReplayRequest } from '../../core/replay-request.js';
import { replay, type ReplayResult } from '../../app/replay.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API shape of an outbox row (snake_case like the rest of /api/v1). */
export function outboxRowJson(r: OutboxRow) {
  return {
    id: r.id,
    event: { id: r.eventId, name: r.eventName, key: r.eventKey },
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    last_error: r.lastError,
    dead_at: iso(r.deadAt),
    next_attempt_at: r.state === 'pending' ? iso(r.nextAttemptAt) : null,
    created_at: iso(r.createdAt),
  };
}

/** What a delivery or range replay queued again; a range with no delivery in it queued nothing. */
function summaryJson(result: ReplayResult) {
  if (result.outcome === 'empty') return { mode: result.mode, deliveries: 0, outbox_rows: 0 };
  if (result.outcome !== 'requeued') throw new Error(`not a requeue: ${result.outcome}`);
  return {
    mode: result.mode,
    deliveries: result.summary.deliveries,
    outbox_rows: result.summary.outboxRows,
  };
}

/**
 * Dead letters and replay (docs/handlers.md#replay). `wake` nudges the dispatcher (and the
 * processor) so a replay is handled now rather than at the next poll.
 */
export function deadLettersRoutes(outbox: Outbox, wake: () => void, now: () => number): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/dead-letters',
      summary: 'Hand-offs that exhausted their attempts, newest first (limit, cursor, target)',
      params: [
        ...PAGE_PARAMS,
        { name: 'target', description: 'Only dead letters of this handler or destination id' },
      ],
      responses: {
        '200': { description: 'One page of dead letters', schema: 'DeadLetterPage' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ res, query }) => {
        const limit = parseLimit(query.get('limit'));
        if (limit === null) return sendError(res, 'BAD_REQUEST', 'limit must be an integer from 1 to 1000');
        const target = query.get('target');
        let page;
        try {
          page = await outbox.listDeadLetters({
            limit,
            ...(query.get('cursor') ? { cursor: query.get('cursor') as string } : {}),
            ...(target ? { target } : {}),
          });
        } catch (err) {
          if (err instanceof RangeError) return sendError(res, 'BAD_REQUEST', 'invalid cursor');
          throw err;
        }
        sendJson(res, 200, {
          data: page.data.map(outboxRowJson),
          next_cursor: page.nextCursor,
          total: page.total,
        });
      },
    },
    {
      method: 'POST',
      path: '/api/v1/dead-letters/:id/replay',
      summary: 'Hand a dead letter to its handler again (attempts start from 0)',
      responses: {
        '202': { description: 'Queued again', schema: 'DeadLetter' },
        '404': { description: 'No dead letter has this id', schema: 'Error' },
        '409': { description: 'The hand-off is pending or delivered, not dead', schema: 'Error' },
      },
      handler: async ({ res, params }) => {
        const result = await replay(outbox, { kind: 'dead-letter', id: params['id'] ?? '' }, now(), wake);
        if (result.outcome === 'not_found') return sendError(res, 'NOT_FOUND', 'no such dead letter');
        if (result.outcome === 'not_dead')
          return sendError(res, 'NOT_A_DEAD_LETTER', `it is ${result.row.state}`);
        if (result.outcome === 'replayed') sendJson(res, 202, outboxRowJson(result.row));
      },
    },
    {
      method: 'POST',
      path: '/api/v1/replay',
      summary:
        'Replay a delivery or a time range of deliveries: {delivery_id} or {from, to}, mode rederive|redeliver',
      body: 'ReplayRequest',
      responses: {
        '202': { description: 'What was queued again', schema: 'ReplaySummary' },
        '400': {
          description: 'The body is not a valid replay request; the message names the field',
          schema: 'Error',
        },
        '404': { description: 'No delivery has this delivery_id', schema: 'Error' },
      },
      handler: async ({ req, res }) => {
        const body = await readBody(req, 64 * 1024);
        if (!body.ok) return sendError(res, 'BAD_REQUEST', 'body missing or larger than 64 KiB');
        let json: unknown;
        try {
          json = JSON.parse(body.body.toString('utf8'));
        } catch {
          return sendError(res, 'BAD_REQUEST', 'body must be JSON');
        }
        const parsed = parseReplayRequest(json);
        if (!parsed.ok) return sendError(res, 'BAD_REQUEST', parsed.error);
        const result = await replay(outbox, parsed.value, now(), wake);
        if (result.outcome === 'not_found') return sendError(res, 'NOT_FOUND', 'no such delivery');
        sendJson(res, 202, summaryJson(result));
      },
    },
  ];
}

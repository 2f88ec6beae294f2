/**
 * The destinations management API, behind the API token like every /api/v1 route.
 * Invalid input answers 422 naming the field; a used name 409; the secret appears only in the
 * answers of create and rotate-secret.
 */
import type { ApiContext, ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { readBody } from '../read-body.js';
import { PAGE_PARAMS, parseLimit } from '../parse-limit.js';
import { WharfError } from '../../errors.js';
import { parseIsoTime } from '../../core/replay-request.js';
import { attemptJson, destinationJson, testResultJson } from '../destination-json.js';
import {
  createDestination,
  deleteDestination,
  replayDestination,
  rotateDestinationSecret,
  testDestination,
  updateDestination,
  type DestinationUseCaseDeps,
} from '../../app/destination-use-cases.js';

const BASE = '/api/v1/destinations';
const NOT_FOUND = { description: 'No destination has this id', schema: 'Error' } as const;
const INVALID = { description: 'A field is invalid; the message names it', schema: 'Error' } as const;
const NAME_TAKEN = { description: 'Another destination has this name', schema: 'Error' } as const;

/** The JSON body, or undefined after answering 400 (absent body: `{}`). */
async function jsonBody(ctx: ApiContext): Promise<unknown> {
  const body = await readBody(ctx.req, 256 * 1024);
  if (!body.ok) {
    sendError(ctx.res, 'BAD_REQUEST', 'body larger than 256 KiB or aborted');
    return undefined;
  }
  if (body.body.length === 0) return {};
  try {
    return JSON.parse(body.body.toString('utf8')) as unknown;
  } catch {
    sendError(ctx.res, 'BAD_REQUEST', 'body must be JSON');
    return undefined;
  }
}

/**
 * Runs `run` on the JSON body (unless it was already answered 400); WharfErrors (422, 409) become
 * their answers, anything else is the router's 500.
 */
async function withJsonBody(ctx: ApiContext, run: (json: unknown) => Promise<void>): Promise<void> {
  const json = await jsonBody(ctx);
  if (json === undefined) return;
  try {
    await run(json);
  } catch (err) {
    if (!(err instanceof WharfError)) throw err;
    sendJson(ctx.res, err.status, err.toJSON());
  }
}

const idOf = (ctx: ApiContext) => ctx.params['id'] ?? '';

export function destinationsRoutes(deps: DestinationUseCaseDeps): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: BASE,
      summary: 'Create a destination; the answer holds its signing secret, shown only here and on rotate',
      body: 'DestinationInput',
      responses: {
        '201': { description: 'Created', schema: 'DestinationCreated' },
        '409': NAME_TAKEN,
        '422': INVALID,
      },
      handler: (ctx) =>
        withJsonBody(ctx, async (json) => {
          const { destination, secret } = await createDestination(deps, json);
          sendJson(ctx.res, 201, { ...destinationJson(destination), secret });
        }),
    },
    {
      method: 'GET',
      path: BASE,
      summary: 'Every destination, oldest first',
      responses: { '200': { description: 'The destinations', schema: 'DestinationList' } },
      handler: async ({ res }) => {
        sendJson(res, 200, { data: (await deps.store.list()).map(destinationJson) });
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:id`,
      summary: 'One destination',
      responses: { '200': { description: 'The destination', schema: 'Destination' }, '404': NOT_FOUND },
      handler: async (ctx) => {
        const d = await deps.store.get(idOf(ctx));
        if (d === null) return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        sendJson(ctx.res, 200, destinationJson(d));
      },
    },
    {
      method: 'PATCH',
      path: `${BASE}/:id`,
      summary: 'Change the given fields (kind settings are merged); enabled: true clears disabled_reason',
      body: 'DestinationInput',
      responses: {
        '200': { description: 'The destination as changed', schema: 'Destination' },
        '404': NOT_FOUND,
        '409': NAME_TAKEN,
        '422': INVALID,
      },
      handler: (ctx) =>
        withJsonBody(ctx, async (json) => {
          const d = await updateDestination(deps, idOf(ctx), json);
          if (d === null) return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
          sendJson(ctx.res, 200, destinationJson(d));
        }),
    },
    {
      method: 'DELETE',
      path: `${BASE}/:id`,
      summary: 'Delete a destination with its pending hand-offs and attempt log',
      responses: { '204': { description: 'Deleted' }, '404': NOT_FOUND },
      handler: async (ctx) => {
        if (!(await deleteDestination(deps, idOf(ctx))))
          return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        ctx.res.writeHead(204).end();
      },
    },
    ...actionRoutes(deps),
  ];
}

function actionRoutes(deps: DestinationUseCaseDeps): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: `${BASE}/:id/test`,
      summary: 'Send one sample event now through the real transport; answers what the receiver said',
      responses: { '200': { description: 'The attempt', schema: 'DestinationTestResult' }, '404': NOT_FOUND },
      handler: async (ctx) => {
        const r = await testDestination(deps, idOf(ctx));
        if (r === null) return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        sendJson(ctx.res, 200, testResultJson(r));
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:id/rotate-secret`,
      summary: 'New signing secret; the old one keeps signing beside it for grace_hours (default 24)',
      body: 'RotateSecretRequest',
      responses: {
        '200': { description: 'The new secret', schema: 'RotatedSecret' },
        '404': NOT_FOUND,
        '422': INVALID,
      },
      handler: async (ctx) => {
        const json = await jsonBody(ctx);
        if (json === undefined) return;
        const grace = (json as { grace_hours?: unknown }).grace_hours ?? 24;
        if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0 || grace > 720)
          return sendError(
            ctx.res,
            'DESTINATION_INVALID',
            'grace_hours must be a number of hours from 0 to 720',
          );
        const r = await rotateDestinationSecret(deps, idOf(ctx), grace);
        if (r === null) return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        sendJson(ctx.res, 200, {
          secret: r.secret,
          previous_valid_until: new Date(r.previousUntil).toISOString(),
        });
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:id/attempts`,
      summary: 'The attempt log, newest first (limit, cursor)',
      params: PAGE_PARAMS,
      responses: {
        '200': { description: 'One page of attempts', schema: 'DestinationAttemptPage' },
        '400': { description: 'limit or cursor is invalid', schema: 'Error' },
        '404': NOT_FOUND,
      },
      handler: async (ctx) => {
        const limit = parseLimit(ctx.query.get('limit'));
        if (limit === null)
          return sendError(ctx.res, 'BAD_REQUEST', 'limit must be an integer from 1 to 1000');
        if ((await deps.store.get(idOf(ctx))) === null)
          return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        const cursor = ctx.query.get('cursor');
        try {
          const page = await deps.store.listAttempts(idOf(ctx), { limit, ...(cursor ? { cursor } : {}) });
          sendJson(ctx.res, 200, { data: page.data.map(attemptJson), next_cursor: page.nextCursor });
        } catch (err) {
          if (err instanceof RangeError) return sendError(ctx.res, 'BAD_REQUEST', 'invalid cursor');
          throw err;
        }
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:id/replay`,
      summary:
        'Hand the events that occurred in [from, to) to this destination again; failed_only: only its dead letters',
      body: 'DestinationReplayRequest',
      responses: {
        '202': { description: 'Queued', schema: 'DestinationReplaySummary' },
        '404': NOT_FOUND,
        '422': INVALID,
      },
      handler: async (ctx) => {
        const json = (await jsonBody(ctx)) as Record<string, unknown> | undefined;
        if (json === undefined) return;
        const from = parseIsoTime('from', json['from']);
        if (!from.ok) return sendError(ctx.res, 'DESTINATION_INVALID', from.error);
        const to = parseIsoTime('to', json['to']);
        if (!to.ok) return sendError(ctx.res, 'DESTINATION_INVALID', to.error);
        const failedOnly = json['failed_only'] ?? false;
        if (typeof failedOnly !== 'boolean')
          return sendError(ctx.res, 'DESTINATION_INVALID', 'failed_only must be true or false');
        if (from.value >= to.value)
          return sendError(ctx.res, 'DESTINATION_INVALID', 'from must be earlier than to');
        const queued = await replayDestination(deps, idOf(ctx), {
          from: from.value,
          to: to.value,
          failedOnly,
        });
        if (queued === null) return sendError(ctx.res, 'NOT_FOUND', 'no such destination');
        sendJson(ctx.res, 202, { queued });
      },
    },
  ];
}

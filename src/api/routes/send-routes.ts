/**
 * `POST /api/v1/messages`: send through the Cloud API with Wharf's guards (docs/sending.md). The use case answers with a status, body and headers; this route only reads
 * the body, `?force=` and `Idempotency-Key`, and writes the answer.
 */
import type { ApiRoute } from '../api-router.js';
import type { SendService } from '../../app/send-service.js';
import { errorAnswer, type SendAnswer } from '../../app/send-answer.js';
import { readBody } from '../read-body.js';
import { sendError, sendJson } from '../send.js';

const MAX_BODY = 256 * 1024;
const KEY = /^[\x21-\x7e]{1,255}$/;
const failure = (description: string) => ({ description, schema: 'SendFailure' as const });

export function sendRoutes(service: Pick<SendService, 'send'>): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/messages',
      summary:
        'Send a message through the Cloud API: guards first (window, opt-out, template state), recorded before it leaves, Idempotency-Key honoured',
      body: 'SendRequest',
      params: [
        { name: 'force', description: 'true: skip the guards (logged)', schema: { type: 'boolean' } },
        {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'The same key answers the same result and never calls Meta twice (1–255 printable ASCII)',
        },
      ],
      responses: {
        '201': { description: 'Meta accepted the message', schema: 'SendResult' },
        '409': failure('A guard refused it: WINDOW_CLOSED, MARKETING_OPT_OUT or TEMPLATE_NOT_APPROVED'),
        '422': failure('SEND_INVALID naming the field, or IDEMPOTENCY_KEY_REUSED'),
        '429': failure('SEND_RATE_LIMITED: too many sends wait for this number (Retry-After)'),
        '502': failure('META_ERROR (meta_error) or META_UNREACHABLE: recorded as failed'),
        '504': failure('SEND_OUTCOME_UNKNOWN: no answer from Meta; recorded as unknown, not sent again'),
      },
      handler: async ({ req, res, query }) => {
        const force = query.get('force');
        if (force !== null && force !== 'true' && force !== 'false')
          return sendError(res, 'BAD_REQUEST', 'force must be true or false');
        const key = req.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !KEY.test(key)))
          return sendError(res, 'BAD_REQUEST', 'Idempotency-Key must be 1–255 printable ASCII characters');
        const body = await readBody(req, MAX_BODY);
        if (!body.ok) return sendError(res, 'BAD_REQUEST', 'body larger than 256 KiB or aborted');
        let json: unknown;
        try {
          json = JSON.parse(body.body.toString('utf8')) as unknown;
        } catch {
          return write(res, errorAnswer('SEND_INVALID', 'body must be JSON', { field: 'body' }));
        }
        write(
          res,
          await service.send(json, { force: force === 'true', idempotencyKey: key ?? null, via: 'api' }),
        );
      },
    },
  ];
}

function write(res: Parameters<typeof sendJson>[0], a: SendAnswer): void {
  sendJson(res, a.status, a.body, { ...a.headers });
}

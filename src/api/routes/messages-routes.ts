import type { MessageView, ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import type { LiveConnections } from '../live-connections.js';
import { sendError, sendJson as sendJsonAnswer } from '../send.js';
import {
  fallbackJson as fallbackRecordJson,
  messageJson,
  type MessageFallback,
} from '../../events/event-json.js';
import { statusRank } from '../../core/status-rank.js';
import type { SendRecord, SendStore } from '../../ports/send-store.js';
import { fallbackJson, messageFromSend, sendJson } from '../send-json.js';

const WAITABLE = ['sent', 'delivered', 'read', 'played', 'failed'];
const MAX_WAIT_SECONDS = 120;
/** Re-read this often while waiting, so statuses committed by another process are seen too. */
const RECHECK_MS = 1000;

/** `read` implies `delivered` (Meta's docs on ordering): reaching a rank satisfies every lower one. */
export function reached(m: MessageView | null, wanted: string): boolean {
  if (m === null) return false;
  if (wanted === 'failed') return m.failed;
  const want = statusRank(wanted);
  const have = m.status === null ? null : statusRank(m.status);
  return want !== null && have !== null && have >= want;
}

function waitFor(
  store: ReadStore,
  live: LiveConnections,
  read: () => Promise<MessageView | null>,
  wamid: string,
  wanted: string,
  timeoutMs: number,
  onClose: (fn: () => void) => void,
): Promise<MessageView | null> {
  return new Promise((resolve, reject) => {
    let done = false;
    // live.add calls finish at once when shutdown already began, before it returns: so it goes
    // last, and finish works with whatever was set up by then.
    let unregister = (): void => undefined;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      unregister();
      clearInterval(tick);
      clearTimeout(timer);
      read().then(resolve, reject);
    };
    // A failed message is answered at once: waiting for delivered or read after a failure would
    // hold an OTP flow for the whole timeout before its fallback (the answer shows failed, errors).
    const settled = (m: MessageView | null) => reached(m, wanted) || m?.failed === true;
    const check = () => read().then((m) => (settled(m) ? finish() : undefined), finish);
    const unsubscribe = store.onCommit((n) => {
      if (n.wamids.includes(wamid)) void check();
    });
    const tick = setInterval(() => void check(), RECHECK_MS);
    const timer = setTimeout(finish, timeoutMs);
    onClose(finish);
    unregister = live.add(finish);
    void check();
  });
}

/** GET /api/v1/messages/{wamid}: state, status timeline, errors, pricing; `?wait=<status>&timeout=<s>` long-polls. */
export function messagesRoutes(
  store: ReadStore,
  live: LiveConnections,
  sends?: SendStore,
  now: () => number = Date.now,
  /** The SMS fallback of a wamid (ActionStore, the truth; the send record holds a copy). */
  fallbackOf?: (wamid: string) => Promise<MessageFallback | null>,
): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/messages/:wamid',
      summary:
        'One message (by wamid, or by the id a send answered) with its status timeline, errors, pricing and send record; ?wait=<status>&timeout=<seconds> long-polls',
      params: [
        {
          name: 'wait',
          description:
            'Answer once the message reaches this status (read implies delivered and sent), or at once when it has failed (wait.reached false)',
          schema: { type: 'string', enum: WAITABLE },
        },
        {
          name: 'timeout',
          description: 'Seconds to wait (default 30); then the current state',
          schema: { type: 'number', minimum: 0, maximum: MAX_WAIT_SECONDS },
        },
        { name: 'phone_number_id', description: 'When the same wamid exists under several numbers' },
      ],
      responses: {
        '200': { description: 'The message (with wait.reached when ?wait= was given)', schema: 'Message' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
        '404': {
          description: 'No event mentioned this message (when waiting: none until the timeout)',
          schema: 'Error',
        },
      },
      handler: async ({ res, params, query }) => {
        const asked = params['wamid'] ?? '';
        const pn = query.get('phone_number_id') ?? undefined;
        // A send id (`snd_…`) finds its record, and through its wamid the message.
        let send: SendRecord | null = sends && asked.startsWith('snd_') ? await sends.get(asked) : null;
        const wamid = send?.wamid ?? asked;
        const read = async () => {
          const found = send?.wamid === null ? null : await store.getMessage(wamid, pn);
          send = (sends && !asked.startsWith('snd_') ? await sends.getByWamid(wamid, pn) : null) ?? send;
          return found ?? (send === null ? null : messageFromSend(send));
        };
        const wait = query.get('wait');
        let m: MessageView | null;
        if (wait === null) m = await read();
        else {
          if (!WAITABLE.includes(wait))
            return sendError(res, 'BAD_REQUEST', `wait must be one of ${WAITABLE.join(', ')}`);
          const raw = query.get('timeout') ?? '30';
          const seconds = Number(raw);
          if (!/^\d+(\.\d+)?$/.test(raw) || seconds > MAX_WAIT_SECONDS)
            return sendError(
              res,
              'BAD_REQUEST',
              `timeout must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}`,
            );
          m = await waitFor(store, live, read, wamid, wait, seconds * 1000, (fn) => res.once('close', fn));
          if (res.destroyed) return;
        }
        if (m === null) return sendError(res, 'NOT_FOUND', 'no event mentioned this message');
        const recorded = fallbackOf ? await fallbackOf(m.wamid) : null;
        sendJsonAnswer(res, 200, {
          ...messageJson(m),
          send: send && sendJson(send, now()),
          fallback: recorded !== null ? fallbackRecordJson(recorded) : fallbackJson(send),
          ...(wait === null ? {} : { wait: { status: wait, reached: reached(m, wait) } }),
        });
      },
    },
  ];
}

/**
 * `ctx.reply(message)` of a `wharf.on` handler: sends Meta's message object to the event's contact
 * from the event's business number, through the same guarded path as POST /api/v1/messages.
 *
 * A handler can run more than once for one event (a retry after a failure, a replay): its n-th
 * reply is sent with the Idempotency-Key `reply:<handler id>:<event key>:<n>`, so a retried handler
 * gets the first answer back instead of messaging the customer twice.
 */
import type { AnyWharfEvent } from '../events/wharf-event.js';
import { WharfError } from '../errors.js';
import type { HandlerContext } from './dispatcher.js';
import { SendError, type SendAnswer } from './send-answer.js';
import type { SendOptions } from './send-service.js';

/** What a send resolves to when Meta accepted it (the 201 body of POST /api/v1/messages). */
export interface SentMessage {
  readonly id: string;
  readonly wamid: string;
  readonly status: 'accepted';
  readonly forced: boolean;
  readonly message_status: string | null;
}

export type Send = (body: unknown, options: SendOptions) => Promise<SendAnswer>;

export interface ReplyOptions {
  /** Quote the event's message (`context.message_id` = its wamid). Default false. */
  readonly quote?: boolean;
  /** Skip the guards, as `?force=true`. */
  readonly force?: boolean;
}

/** The context a `wharf.on` handler gets: the attempt's, plus reply(). */
export interface WharfHandlerContext extends HandlerContext {
  /**
   * Sends `message` (Meta's message object: `type` and its object, e.g. `{ type: 'text', text: {
   * body: 'Thanks!' } }`) to the event's contact from the event's number. Resolves when Meta
   * accepted it; rejects with a SendError (a WharfError: WINDOW_CLOSED, META_ERROR …) otherwise.
   */
  reply(message: Readonly<Record<string, unknown>>, options?: ReplyOptions): Promise<SentMessage>;
}

/** The 201 body, or the answer as a SendError. */
export function sentOrThrow(answer: SendAnswer): SentMessage {
  if (answer.status === 201) return answer.body as unknown as SentMessage;
  throw new SendError(answer);
}

export function replyContext(
  send: Send | null,
  event: AnyWharfEvent,
  ctx: HandlerContext,
): WharfHandlerContext {
  let n = 0;
  return {
    ...ctx,
    async reply(message, options = {}) {
      if (send === null) throw new WharfError('NOT_LISTENING', 'ctx.reply() needs a running Wharf');
      const to = event.contact?.waId;
      const userId = event.contact?.userId;
      if (event.phoneNumberId === undefined || (to === undefined && userId === undefined))
        throw new WharfError(
          'SEND_INVALID',
          `${event.name} has no contact and business number to reply to (reply to message.* events)`,
        );
      n += 1;
      const body = {
        ...message,
        phone_number_id: event.phoneNumberId,
        ...(to !== undefined ? { to } : { recipient: userId }),
        ...(options.quote === true && event.wamid !== undefined
          ? { context: { message_id: event.wamid } }
          : {}),
      };
      const answer = await send(body, {
        idempotencyKey: `reply:${ctx.target}:${event.key}:${n}`,
        force: options.force === true,
        via: 'reply',
      });
      return sentOrThrow(answer);
    },
  };
}

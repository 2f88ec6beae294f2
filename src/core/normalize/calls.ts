/** calls (Meta's docs on `calls`): one event per `calls[]` item and per call `statuses[]` item. */
import type { Loose } from '../../meta/common.js';
import type { WireCall, WireCallStatus } from '../../meta/calls.js';
import { ContactIndex, emit, type ChangeContext } from './context.js';
import { walk, normalizeValueError } from './messages.js';
import { epochMs, num, obj, phone, str, type Obj } from './read.js';
import { emitUnknown } from './unknown.js';

function call(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  const c = obj(item) as Loose<WireCall> | undefined;
  const event = c ? str(c.event) : undefined;
  const callId = c ? str(c.id) : undefined;
  if (c === undefined || callId === undefined || (event !== 'connect' && event !== 'terminate')) {
    emitUnknown(
      ctx,
      c === undefined ? 'call is not an object' : `call event "${event ?? ''}" not understood`,
      item,
    );
    return;
  }
  const session = obj(c.session);
  const direction = str(c.direction);
  const data = {
    callId,
    event,
    direction,
    from: phone(c.from),
    to: phone(c.to),
    fromUserId: str(c.from_user_id),
    toUserId: str(c.to_user_id),
    fromParentUserId: str(c.from_parent_user_id),
    toParentUserId: str(c.to_parent_user_id),
    session: session ? { sdpType: str(session['sdp_type']), sdp: str(session['sdp']) } : undefined,
    status: str(c.status),
    startedAt: epochMs(c.start_time),
    endedAt: epochMs(c.end_time),
    durationSeconds: num(c.duration),
    bizOpaqueCallbackData: str(c.biz_opaque_callback_data),
  } as const;
  // The person on the call is the caller for user-initiated calls, the callee otherwise.
  const userSide = direction === 'BUSINESS_INITIATED';
  emit(ctx, event === 'connect' ? 'call.connect' : 'call.terminate', {
    key: `call:${callId}:${event}`,
    occurredAt: epochMs(c.timestamp) ?? ctx.entryTime,
    contact: userSide
      ? contacts.resolve(data.to, data.toUserId, data.toParentUserId)
      : contacts.resolve(data.from, data.fromUserId, data.fromParentUserId),
    data,
    raw: item,
  });
}

function callStatus(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  const s = obj(item) as Loose<WireCallStatus> | undefined;
  const callId = s ? str(s.id) : undefined;
  const status = s ? str(s.status) : undefined;
  if (s === undefined || callId === undefined || status === undefined) {
    emitUnknown(ctx, 'call status has no id or status', item);
    return;
  }
  const recipientId = phone(s.recipient_id);
  const recipientUserId = str(s.recipient_user_id);
  emit(ctx, 'call.status', {
    key: `call_status:${callId}:${status}`,
    occurredAt: epochMs(s.timestamp) ?? ctx.entryTime,
    contact: contacts.resolve(recipientId, recipientUserId, undefined),
    data: {
      callId,
      status,
      recipientId,
      recipientUserId,
      bizOpaqueCallbackData: str(s.biz_opaque_callback_data),
    },
    raw: item,
  });
}

export function normalizeCalls(ctx: ChangeContext, value: Obj): void {
  const contacts = new ContactIndex(value['contacts']);
  let n = walk(ctx, value, 'calls', contacts, call);
  n += walk(ctx, value, 'statuses', contacts, callStatus);
  n += walk(ctx, value, 'errors', contacts, normalizeValueError);
  if (n === 0) emitUnknown(ctx, 'calls value holds no calls, statuses or errors', value);
}

/**
 * Conversation Routing (Meta's docs on `messaging_handovers` and `standby`) and automatic_events (Meta's docs on `automatic_events`).
 * messaging_handovers: one event per change. standby: one event per copied message, status or echo
 * (and one `standby` of kind `empty` when it copies none).
 */
import type { Loose } from '../../meta/common.js';
import type { WireAutomaticEvent } from '../../meta/business.js';
import type { WireHandoverValue } from '../../meta/routing.js';
import { hashKey, messageKey, scopedIdKey, statusKey } from '../event-key.js';
import { ContactIndex, emit, identity, type ChangeContext } from './context.js';
import { echoData } from './echoes.js';
import { inboundMessageData } from './inbound-message.js';
import { emitManagement } from './management.js';
import { walk } from './messages.js';
import { epochMs, num, obj, phone, str, type Obj } from './read.js';
import { statusData, statusSubject } from './status.js';
import { emitUnknown } from './unknown.js';

export function normalizeHandover(ctx: ChangeContext, value: Obj): void {
  const v = value as Loose<WireHandoverValue>;
  const type = str(v.type) ?? '';
  const control = obj(value[type]) ?? {};
  const sender = obj(v.sender) ?? {};
  const recipient = obj(v.recipient) ?? {};
  const summary = obj(obj(control['conversation_context'])?.['summary']);
  const senderPhone = phone(sender['phone_number']);
  emitManagement(
    ctx,
    'handover',
    value,
    [type, senderPhone],
    {
      type,
      senderPhoneNumber: senderPhone,
      previousOwnerAppId: str(control['previous_owner_app_id']),
      previousOwnerRole: str(control['previous_owner_role']) ?? str(control['previous_owner_app_role']),
      newOwnerAppId: str(control['new_owner_app_id']),
      newOwnerRole: str(control['new_owner_role']),
      metadata: str(control['metadata']),
      summary: summary ? str(summary['text']) : undefined,
    },
    {
      occurredAt: epochMs(v.timestamp) ?? ctx.entryTime,
      phoneNumberId: str(recipient['phone_number_id']),
      displayPhoneNumber: phone(recipient['display_phone_number']),
      contact: identity(senderPhone, str(sender['user_id']), undefined),
    },
  );
}

function standbyItem(kind: 'message' | 'status' | 'echo') {
  return (ctx: ChangeContext, item: unknown, contacts: ContactIndex): void => {
    const o = obj(item);
    const id = o ? str(o['id']) : undefined;
    if (o === undefined) {
      emitUnknown(ctx, `standby ${kind} is not an object`, item);
      return;
    }
    const occurredAt = epochMs(o['timestamp']) ?? ctx.entryTime;
    const fallbackKey = hashKey(ctx.field, ctx.wabaId, item);
    if (kind === 'message') {
      const message = inboundMessageData(o, contacts);
      const key = id === undefined ? fallbackKey : `standby:${messageKey(ctx.phoneNumberId, id)}`;
      const contact = contacts.resolve(message.from, message.fromUserId, message.fromParentUserId);
      emit(ctx, 'standby', { key, occurredAt, contact, wamid: id, data: { kind, message }, raw: item });
    } else if (kind === 'status') {
      const status = statusData(o);
      const { contact, participant } = statusSubject(status, contacts);
      const key = id === undefined ? fallbackKey : `standby:${statusKey(id, status.status, participant)}`;
      emit(ctx, 'standby', { key, occurredAt, contact, wamid: id, data: { kind, status }, raw: item });
    } else {
      const echo = echoData(o);
      const key = id === undefined ? fallbackKey : `standby:${scopedIdKey('echo', ctx.phoneNumberId, id)}`;
      const contact = contacts.resolve(echo.to, echo.toUserId, echo.toParentUserId);
      emit(ctx, 'standby', { key, occurredAt, contact, wamid: id, data: { kind, echo }, raw: item });
    }
  };
}

export function normalizeStandby(ctx: ChangeContext, value: Obj): void {
  const s = obj(value['standby']);
  if (s === undefined) {
    emitUnknown(ctx, 'standby value has no standby object', value);
    return;
  }
  const contacts = new ContactIndex(s['contacts'] ?? value['contacts']);
  let n = walk(ctx, s, 'messages', contacts, standbyItem('message'));
  n += walk(ctx, s, 'statuses', contacts, standbyItem('status'));
  n += walk(ctx, s, 'message_echoes', contacts, standbyItem('echo'));
  if (n === 0) {
    emit(ctx, 'standby', {
      key: hashKey(ctx.field, ctx.wabaId, value),
      occurredAt: ctx.entryTime,
      data: { kind: 'empty' },
      raw: value,
    });
  }
}

function automaticEvent(ctx: ChangeContext, item: unknown): void {
  const a = obj(item) as Loose<WireAutomaticEvent> | undefined;
  if (a === undefined) {
    emitUnknown(ctx, 'automatic_events item is not an object', item);
    return;
  }
  const custom = obj(a.custom_data) ?? {};
  const id = str(a.id);
  const eventName = str(a.event_name);
  const value = num(custom['value']);
  emit(ctx, 'automatic.event', {
    key: id === undefined ? hashKey(ctx.field, ctx.wabaId, item) : `automatic:${id}:${eventName ?? ''}`,
    occurredAt: epochMs(a.timestamp) ?? ctx.entryTime,
    wamid: id,
    data: {
      id,
      eventName,
      ctwaClid: str(a.ctwa_clid),
      currency: str(custom['currency']),
      // custom_data.value is the amount × 1000 (Meta's docs on `automatic_events`).
      amount: value === undefined ? undefined : value / 1000,
    },
    raw: item,
  });
}

export function normalizeAutomaticEvents(ctx: ChangeContext, value: Obj): void {
  const n = walk(ctx, value, 'automatic_events', new ContactIndex(undefined), automaticEvent);
  if (n === 0) emitUnknown(ctx, 'automatic_events value holds no items', value);
}

/** One `value.statuses[]` item → one `status.*` event (Meta's docs on message statuses). */
import type { EventName } from '../../events/event-names.js';
import type { ConversationInfo, PricingInfo, StatusData } from '../../events/data-types/statuses.js';
import type { ContactIdentity } from '../../events/wharf-event.js';
import type { Loose } from '../../meta/common.js';
import type { WireStatus } from '../../meta/statuses.js';
import { hashKey, statusKey } from '../event-key.js';
import { emit, push, type ChangeContext, type ContactIndex } from './context.js';
import { waErrors } from './errors.js';
import { bool, category, epochMs, obj, phone, str, type Obj } from './read.js';

/** A Map, not an object: a status such as "constructor" must not hit Object.prototype. */
const KNOWN: ReadonlyMap<string, EventName> = new Map([
  ['sent', 'status.sent'],
  ['delivered', 'status.delivered'],
  ['read', 'status.read'],
  ['played', 'status.played'],
  ['failed', 'status.failed'],
]);

function pricing(v: unknown): PricingInfo | undefined {
  const p = obj(v);
  if (p === undefined) return undefined;
  return {
    billable: bool(p['billable']),
    pricingModel: str(p['pricing_model']),
    type: str(p['type']),
    category: category(p['category']),
  };
}

function conversation(v: unknown): ConversationInfo | undefined {
  const c = obj(v);
  if (c === undefined) return undefined;
  return {
    id: str(c['id']),
    expiresAt: epochMs(c['expiration_timestamp']),
    originType: category(obj(c['origin'])?.['type']),
  };
}

export function statusData(s: Obj): StatusData {
  const w = s as Loose<WireStatus>;
  const pId = phone(w.recipient_participant_id);
  const pUser = str(w.recipient_participant_user_id);
  const pParent = str(w.recipient_participant_parent_user_id);
  return {
    status: str(w.status) ?? '',
    recipientId: phone(w.recipient_id),
    recipientUserId: str(w.recipient_user_id),
    // Renamed on 2026-05-05 (Meta's docs on business-scoped user ids and usernames): accept both spellings.
    recipientParentUserId: str(w.recipient_parent_user_id) ?? str(w.parent_recipient_user_id),
    recipientType: str(w.recipient_type),
    participant: (pId ?? pUser ?? pParent) ? { id: pId, userId: pUser, parentUserId: pParent } : undefined,
    recipientIdentityKeyHash: str(w.recipient_identity_key_hash),
    bizOpaqueCallbackData: str(w.biz_opaque_callback_data),
    conversation: conversation(w.conversation),
    pricing: pricing(w.pricing),
    errors: waErrors(w.errors),
  };
}

/**
 * Who a status is about and the participant part of its key. Group sends: the participant, not
 * the group (recipient_id is then the group id, not a person's number).
 */
export function statusSubject(
  data: StatusData,
  contacts: ContactIndex,
): { readonly contact: ContactIdentity | undefined; readonly participant: string | undefined } {
  const p = data.participant;
  if (p !== undefined)
    return {
      contact: contacts.resolve(p.id, p.userId, p.parentUserId),
      participant: p.userId ?? p.id ?? p.parentUserId,
    };
  const contact = contacts.resolve(
    data.recipientType === 'group' ? undefined : data.recipientId,
    data.recipientUserId,
    data.recipientParentUserId,
  );
  return { contact, participant: undefined };
}

export function normalizeStatus(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  const s = obj(item);
  if (s === undefined) {
    emit(ctx, 'status.unknown', {
      key: hashKey(ctx.field, ctx.wabaId, item),
      occurredAt: ctx.entryTime,
      data: { status: '', errors: [], reason: 'status is not an object' },
      raw: item,
    });
    return;
  }
  const data = statusData(s);
  const wamid = str(s['id']);
  const known = KNOWN.get(data.status);
  const reason =
    wamid === undefined
      ? 'status has no id'
      : known === undefined
        ? `unknown status "${data.status}"`
        : undefined;
  const { contact, participant } = statusSubject(data, contacts);
  const occurredAt = epochMs(s['timestamp']) ?? ctx.entryTime;
  if (reason !== undefined || known === undefined || wamid === undefined) {
    const key =
      wamid === undefined ? hashKey(ctx.field, ctx.wabaId, item) : statusKey(wamid, data.status, participant);
    const unknownData = { ...data, reason: reason ?? 'unknown status' };
    push(ctx, 'status.unknown', key, occurredAt, contact, wamid, unknownData, item);
    return;
  }
  push(
    ctx,
    known,
    statusKey(wamid, data.status, participant),
    occurredAt,
    contact,
    wamid,
    data as never,
    item,
  );
}

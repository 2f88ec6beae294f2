/**
 * Contact facets of one event: identity observed (phone, BSUID, parent BSUID, username, profile
 * name), identity changes (Meta's docs on business-scoped user ids and usernames; `user_id_update`; `system` messages), the service window (Meta's docs on the customer service window) and marketing
 * opt-outs (Meta's docs on `user_preferences`, error 131050). Every record is ranked by the event's time, so the newest wins.
 */
import type { AnyWharfEvent, ContactIdentity } from '../events/wharf-event.js';
import { opensServiceWindow } from './service-window.js';
import { rankOf, type ContactChange, type ContactField } from './state-change.js';

/** Marketing messages stopped by the user (Meta's docs on error codes). */
export const MARKETING_OPT_OUT_ERROR = 131050;

/** Row id of an identity: the BSUID when known (the 2026 primary key), else the phone number. */
export function contactKey(
  c: { readonly waId?: string; readonly userId?: string } | undefined,
): string | undefined {
  if (c === undefined) return undefined;
  if (c.userId !== undefined && c.userId !== '') return c.userId;
  if (c.waId !== undefined && c.waId !== '') return `wa:${c.waId}`;
  return undefined;
}

function identityFields(c: ContactIdentity): Partial<Record<ContactField, string>> {
  const f: Partial<Record<ContactField, string>> = {};
  if (c.waId) f.waId = c.waId;
  if (c.userId) f.userId = c.userId;
  if (c.parentUserId) f.parentUserId = c.parentUserId;
  if (c.username) f.username = c.username;
  if (c.name) f.name = c.name;
  return f;
}

function change(
  event: AnyWharfEvent,
  id: string,
  fields: Partial<Record<ContactField, string>>,
  extra: Pick<ContactChange, 'lastInboundAt' | 'optOut'> = {},
): ContactChange {
  return { kind: 'contact', id, rank: rankOf(event.occurredAt, event.key), fields, ...extra };
}

/** The person the event is about, with window and opt-out facets where the event carries them. */
function observed(event: AnyWharfEvent): ContactChange | undefined {
  const c = event.contact;
  const id = contactKey(c);
  if (c === undefined || id === undefined) return undefined;
  const extra: { lastInboundAt?: number; optOut?: ContactChange['optOut'] } = {};
  if (opensServiceWindow(event) && event.occurredAt !== null) extra.lastInboundAt = event.occurredAt;
  // user_preferences is documented for marketing messages only (Meta's docs on `user_preferences`); a category Meta
  // may add later is some other preference, not a marketing opt-out. None given: marketing.
  if (event.name === 'user.preferences') {
    const { value: v, category } = event.data;
    const marketing = category === undefined || category === 'marketing_messages';
    if (marketing && (v === 'stop' || v === 'resume'))
      extra.optOut = { value: v, source: 'user_preferences' };
  }
  if (event.name === 'status.failed' && event.data.errors.some((e) => e.code === MARKETING_OPT_OUT_ERROR))
    extra.optOut = { value: 'stop', source: `error_${MARKETING_OPT_OUT_ERROR}` };
  return change(event, id, identityFields(c), extra);
}

/** `user_id_update`: the new BSUID takes over; the old one points to it. */
function userIdUpdate(event: AnyWharfEvent & { name: 'user.id_update' }): ContactChange[] {
  const d = event.data;
  if (!d.currentUserId) return [];
  const out = [
    change(event, d.currentUserId, {
      userId: d.currentUserId,
      ...(d.waId ? { waId: d.waId } : {}),
      ...(d.currentParentUserId ? { parentUserId: d.currentParentUserId } : {}),
    }),
  ];
  if (d.previousUserId && d.previousUserId !== d.currentUserId)
    out.push(change(event, d.previousUserId, { replacedBy: d.currentUserId }));
  return out;
}

/** System messages `user_changed_number` (legacy `customer_changed_number`) and `user_changed_user_id`. */
function systemChange(event: AnyWharfEvent & { name: 'message.system' }): ContactChange[] {
  const d = event.data;
  const old = event.contact;
  const numberChange = d.systemType === 'user_changed_number' || d.systemType === 'customer_changed_number';
  if (!numberChange && d.systemType !== 'user_changed_user_id') return [];
  const newId = contactKey({ waId: d.waId, userId: d.userId });
  const out: ContactChange[] = [];
  if (newId !== undefined)
    out.push(
      change(event, newId, {
        ...(d.waId ? { waId: d.waId } : numberChange || !old?.waId ? {} : { waId: old.waId }),
        ...(d.userId ? { userId: d.userId } : {}),
        ...(d.parentUserId ? { parentUserId: d.parentUserId } : {}),
        ...(old?.name ? { name: old.name } : {}),
      }),
    );
  // The replaced identifier's own row records what replaced it (reads look it up by that id).
  if (numberChange && old?.waId && d.waId && old.waId !== d.waId)
    out.push(change(event, `wa:${old.waId}`, { replacedBy: d.waId }));
  if (old?.userId && d.userId && old.userId !== d.userId)
    out.push(change(event, old.userId, { replacedBy: d.userId }));
  return out;
}

export function deriveContactChanges(event: AnyWharfEvent): ContactChange[] {
  const out: ContactChange[] = [];
  const seen = observed(event);
  if (seen !== undefined) out.push(seen);
  if (event.name === 'user.id_update') out.push(...userIdUpdate(event));
  if (event.name === 'message.system') out.push(...systemChange(event));
  return out;
}

/** user_preferences, user_id_update (Meta's docs on `user_preferences`; `user_id_update`) and smb_app_state_sync (Meta's docs on `smb_app_state_sync`): one event per array item. */
import type { Loose } from '../../meta/common.js';
import type { WireStateSync } from '../../meta/app-state-sync.js';
import type { WireUserIdUpdate, WireUserPreference } from '../../meta/users.js';
import { hashKey } from '../event-key.js';
import { ContactIndex, emit, identity, type ChangeContext } from './context.js';
import { walk } from './messages.js';
import { epochMs, obj, phone, str, type Obj } from './read.js';
import { emitUnknown } from './unknown.js';

function notObject(ctx: ChangeContext, what: string, item: unknown): boolean {
  if (obj(item) !== undefined) return false;
  emitUnknown(ctx, `${what} item is not an object`, item);
  return true;
}

function preference(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  if (notObject(ctx, 'user_preferences', item)) return;
  const p = item as Loose<WireUserPreference>;
  const waId = phone(p.wa_id);
  const userId = str(p.user_id);
  const parentUserId = str(p.parent_user_id);
  const value = str(p.value);
  const occurredAt = epochMs(p.timestamp) ?? ctx.entryTime;
  emit(ctx, 'user.preferences', {
    key: `user_preferences:${ctx.phoneNumberId ?? ctx.wabaId}:${userId ?? waId ?? ''}:${str(p.category) ?? ''}:${value ?? ''}:${occurredAt ?? hashKey('', '', item)}`,
    occurredAt,
    contact: contacts.resolve(waId, userId, parentUserId),
    data: { waId, userId, parentUserId, category: str(p.category), value, detail: str(p.detail) },
    raw: item,
  });
}

function idUpdate(ctx: ChangeContext, item: unknown, contacts: ContactIndex): void {
  if (notObject(ctx, 'user_id_update', item)) return;
  const u = item as Loose<WireUserIdUpdate>;
  const ids = obj(u.user_id) ?? {};
  const parents = obj(u.parent_user_id) ?? {};
  const waId = phone(u.wa_id);
  const current = str(ids['current']);
  const previous = str(ids['previous']);
  const occurredAt = epochMs(u.timestamp) ?? ctx.entryTime;
  emit(ctx, 'user.id_update', {
    key: `user_id_update:${ctx.wabaId}:${previous ?? ''}:${current ?? ''}:${occurredAt ?? hashKey('', '', item)}`,
    occurredAt,
    contact: contacts.resolve(waId, current, str(parents['current'])),
    data: {
      waId,
      detail: str(u.detail),
      previousUserId: previous,
      currentUserId: current,
      previousParentUserId: str(parents['previous']),
      currentParentUserId: str(parents['current']),
    },
    raw: item,
  });
}

function stateSync(ctx: ChangeContext, item: unknown): void {
  if (notObject(ctx, 'state_sync', item)) return;
  const s = item as Loose<WireStateSync>;
  const c = obj(s.contact) ?? {};
  const data = {
    syncType: str(s.type),
    action: str(s.action),
    fullName: str(c['full_name']),
    firstName: str(c['first_name']),
    phoneNumber: phone(c['phone_number']),
    userId: str(c['user_id']),
    parentUserId: str(c['parent_user_id']),
    username: str(c['username']),
  };
  emit(ctx, 'app_state.sync', {
    key: hashKey(ctx.field, ctx.wabaId, item),
    occurredAt: epochMs(obj(s.metadata)?.['timestamp']) ?? ctx.entryTime,
    contact: identity(data.phoneNumber, data.userId, data.parentUserId, data.username, data.fullName),
    data,
    raw: item,
  });
}

function walkOrEmpty(
  ctx: ChangeContext,
  value: Obj,
  key: string,
  fn: (c: ChangeContext, i: unknown, x: ContactIndex) => void,
) {
  const n = walk(ctx, value, key, new ContactIndex(value['contacts']), fn);
  if (n === 0) emitUnknown(ctx, `${ctx.field} value holds no ${key} items`, value);
}

export function normalizeUserPreferences(ctx: ChangeContext, value: Obj): void {
  walkOrEmpty(ctx, value, 'user_preferences', preference);
}

export function normalizeUserIdUpdate(ctx: ChangeContext, value: Obj): void {
  walkOrEmpty(ctx, value, 'user_id_update', idUpdate);
}

export function normalizeAppStateSync(ctx: ChangeContext, value: Obj): void {
  walkOrEmpty(ctx, value, 'state_sync', stateSync);
}

/** What every normalizer of one change needs, and the one place events are built. */
import type { EventName } from '../../events/event-names.js';
import type { EventDataMap } from '../../events/event-data.js';
import type { AnyWharfEvent, ContactIdentity, WharfEvent } from '../../events/wharf-event.js';
import type { WireMessagingValue, Loose } from '../../meta/common.js';
import { obj, str, type Obj } from './read.js';

export interface ChangeContext {
  readonly field: string;
  readonly wabaId: string;
  /** entry.time in epoch ms, the fallback time for items without their own timestamp. */
  readonly entryTime: number | null;
  readonly phoneNumberId: string | undefined;
  readonly displayPhoneNumber: string | undefined;
  readonly out: AnyWharfEvent[];
}

export interface EventParts<N extends EventName> {
  readonly key: string;
  readonly occurredAt: number | null;
  readonly data: EventDataMap[N];
  readonly raw: unknown;
  readonly contact?: ContactIdentity | undefined;
  readonly wamid?: string | undefined;
  readonly phoneNumberId?: string | undefined;
  readonly displayPhoneNumber?: string | undefined;
}

/** Appends one event. All properties are always set (same object shape for every event). */
export function emit<N extends EventName>(ctx: ChangeContext, name: N, p: EventParts<N>): void {
  push(
    ctx,
    name,
    p.key,
    p.occurredAt,
    p.contact,
    p.wamid,
    p.data,
    p.raw,
    p.phoneNumberId,
    p.displayPhoneNumber,
  );
}

/**
 * Positional form of `emit` for the hot paths (messages, statuses): no intermediate parts object,
 * whose many shapes would make property reads megamorphic.
 */
export function push<N extends EventName>(
  ctx: ChangeContext,
  name: N,
  key: string,
  occurredAt: number | null,
  contact: ContactIdentity | undefined,
  wamid: string | undefined,
  data: EventDataMap[N],
  raw: unknown,
  phoneNumberId?: string,
  displayPhoneNumber?: string,
): void {
  const event: WharfEvent<N> = {
    name,
    key,
    field: ctx.field,
    occurredAt,
    wabaId: ctx.wabaId,
    phoneNumberId: phoneNumberId ?? ctx.phoneNumberId,
    displayPhoneNumber: displayPhoneNumber ?? ctx.displayPhoneNumber,
    contact,
    wamid,
    data,
    raw,
  };
  ctx.out.push(event as unknown as AnyWharfEvent);
}

/** Builds a ContactIdentity, or undefined when every part is missing. */
export function identity(
  waId: string | undefined,
  userId: string | undefined,
  parentUserId: string | undefined,
  username?: string,
  name?: string,
): ContactIdentity | undefined {
  if (
    waId === undefined &&
    userId === undefined &&
    parentUserId === undefined &&
    username === undefined &&
    name === undefined
  ) {
    return undefined;
  }
  return { waId, userId, parentUserId, username, name };
}

/** `value.contacts[]` indexed by wa_id and by user_id: contacts are joined by id, never by position. */
export class ContactIndex {
  private readonly byId = new Map<string, Obj>();
  /** Resolved identities by the ids asked for: a batch often has many items about one person. */
  private readonly cache = new Map<string, ContactIdentity | undefined>();

  constructor(contacts: unknown) {
    if (!Array.isArray(contacts)) return;
    for (const c of contacts) {
      const rec = obj(c) as Loose<NonNullable<WireMessagingValue['contacts']>[number]> | undefined;
      if (rec === undefined) continue;
      const waId = str(rec.wa_id);
      const userId = str(rec.user_id);
      if (userId !== undefined) this.byId.set(userId, rec as Obj);
      if (waId !== undefined) this.byId.set(waId.charCodeAt(0) === 43 ? waId.slice(1) : waId, rec as Obj);
    }
  }

  /** `identity_key_hash` of the contact matching these ids (Meta's docs on the contacts object; identity change signals). */
  identityKeyHash(waId: string | undefined, userId: string | undefined): string | undefined {
    if (this.byId.size === 0) return undefined;
    const c =
      (userId !== undefined ? this.byId.get(userId) : undefined) ??
      (waId !== undefined ? this.byId.get(waId) : undefined);
    return c === undefined ? undefined : str(c['identity_key_hash']);
  }

  /** Identity of a person from the ids an item carries, completed from the matching contact. */
  resolve(
    waId: string | undefined,
    userId: string | undefined,
    parentUserId: string | undefined,
  ): ContactIdentity | undefined {
    const c =
      (userId !== undefined ? this.byId.get(userId) : undefined) ??
      (waId !== undefined ? this.byId.get(waId) : undefined);
    if (c === undefined) return identity(waId, userId, parentUserId);
    const profile = obj(c['profile']);
    const cWa = str(c['wa_id']);
    return identity(
      waId ?? (cWa !== undefined && cWa.charCodeAt(0) === 43 ? cWa.slice(1) : cWa),
      userId ?? str(c['user_id']),
      parentUserId ?? str(c['parent_user_id']),
      profile ? str(profile['username']) : undefined,
      profile ? str(profile['name']) : undefined,
    );
  }
}

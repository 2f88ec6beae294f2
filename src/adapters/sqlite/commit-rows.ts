/**
 * The SQLite commit's view of a batch (commit-batch.ts): per event its column values, outbox
 * targets and state changes. In the calling thread they are read from the prepared events as the
 * commit goes (rowsOf). For the writer thread (threaded-processing-store.ts) they are computed first
 * into arrays of primitives (toTransfer, statuses as their values): a batch then crosses as a cheap
 * structured clone instead of thousands of nested event objects (docs/benchmarks.md "Processing").
 */
import type {
  BatchResult,
  CommitOutcome,
  CommittedEvent,
  PreparedEvent,
} from '../../ports/processing-store.js';
import type {
  ContactChange,
  ContactField,
  ConversationChange,
  StateChange,
} from '../../core/state-change.js';
import { eventColumnValues, statusValues } from '../state-columns.js';

type Value = string | number | null;

/**
 * Events are stored without their `raw` item: it is read from the delivery body when asked for
 * (raw-of-rows.ts). Its JSON was ~290 of a status event's ~775 bytes, written with the row and
 * again into the WAL (docs/benchmarks.md "Processing").
 */
const WITH_RAW = false;

/**
 * eventColumnValues, then `raw_at`: where the item is in the delivery body (src/core/item-paths.ts),
 * so the dispatch thread's claim takes its text out of the body with SQLite's JSON functions
 * (claimed-rows-json.ts) instead of parsing and normalizing the delivery again.
 */
function eventValues(p: PreparedEvent, deliveryId: string): Value[] {
  const values = eventColumnValues(p.event, deliveryId, WITH_RAW);
  values.push(WITH_RAW ? null : (p.rawAt ?? null));
  return values;
}

/** A state change as the commit applies it; a status may come as its statusValues array. */
export type EncodedChange = StateChange | Value[];

/**
 * Conversation and contact changes cross to the writer thread as a tag, then their values (a
 * status's values start with its phone number id, a string): every message and status has one of
 * each, and a structured clone of the records as objects cost about twice as much as the arrays.
 */
const CONVERSATION = 0;
const CONTACT = 1;
const CONTACT_FIELDS: readonly ContactField[] = [
  'waId',
  'userId',
  'parentUserId',
  'username',
  'name',
  'replacedBy',
];

function encodeContact(c: ContactChange): Value[] {
  const f = c.fields;
  return [
    CONTACT,
    c.id,
    c.rank,
    c.lastInboundAt ?? null,
    c.optOut?.value ?? null,
    c.optOut?.source ?? null,
    f.waId ?? null,
    f.userId ?? null,
    f.parentUserId ?? null,
    f.username ?? null,
    f.name ?? null,
    f.replacedBy ?? null,
  ];
}

/** Back to the record, with only the properties it had (fields included). */
function decodeContact(a: Value[]): ContactChange {
  const fields: Partial<Record<ContactField, string>> = {};
  for (let i = 0; i < CONTACT_FIELDS.length; i++) {
    const v = a[6 + i];
    if (v !== null && v !== undefined) fields[CONTACT_FIELDS[i] as ContactField] = v as string;
  }
  const change: { -readonly [K in keyof ContactChange]: ContactChange[K] } = {
    kind: 'contact',
    id: a[1] as string,
    rank: a[2] as string,
    fields,
  };
  if (a[3] !== null) change.lastInboundAt = a[3] as number;
  if (a[4] !== null) change.optOut = { value: a[4] as 'stop' | 'resume', source: a[5] as string };
  return change;
}

function encodeConversation(c: ConversationChange): Value[] {
  return [
    CONVERSATION,
    c.phoneNumberId,
    c.contactKey,
    c.wamid,
    c.direction,
    c.at,
    c.rank,
    c.last ?? null,
    c.opensWindow === true ? 1 : 0,
    c.media?.id ?? null,
    c.media?.type ?? null,
  ];
}

/** Back to the record the appliers take; a status's values stay as they are. */
function decodeChange(ch: EncodedChange): EncodedChange {
  if (!Array.isArray(ch)) return ch;
  if (ch[0] === CONTACT) return decodeContact(ch);
  if (ch[0] !== CONVERSATION) return ch;
  const [, phoneNumberId, contactKey, wamid, direction, at, rank, last, opensWindow, mediaId, mediaType] = ch;
  return {
    kind: 'conversation',
    phoneNumberId: phoneNumberId as string,
    contactKey: contactKey as string,
    wamid: wamid as string,
    direction: direction as ConversationChange['direction'],
    at: at as number | null,
    rank: rank as string,
    last: (last ?? undefined) as ConversationChange['last'],
    opensWindow: opensWindow === 1 ? true : undefined,
    media: mediaId === null ? undefined : { id: mediaId as string, type: mediaType as string },
  };
}

export interface CommitRows {
  readonly now: number;
  readonly maxAttempts: number;
  /** Processed deliveries in order; their events are 0 … count - 1, in the same order. */
  readonly deliveries: readonly number[];
  readonly count: number;
  /** eventColumnValues of event e (key … delivery_id), then raw_at. */
  values(e: number): readonly Value[];
  targets(e: number): readonly string[];
  changes(e: number): readonly EncodedChange[];
  readonly invalid: ReadonlyArray<readonly [number, string]>;
  readonly failed: ReadonlyArray<readonly [number, string]>;
}

export interface CommitIds {
  /** Per event, in order: its new id, or 0 when its key was stored already (or earlier in the batch). */
  readonly ids: number[];
  readonly duplicates: number;
  readonly outboxRows: number;
}

function base(result: BatchResult) {
  return {
    now: result.now,
    maxAttempts: result.maxAttempts,
    deliveries: result.processed.map((d) => Number(d.deliveryId)),
    invalid: result.invalid.map((d) => [Number(d.deliveryId), d.error] as const),
    failed: result.failed.map((d) => [Number(d.deliveryId), d.error] as const),
  };
}

/** The batch's rows read from its prepared events as the commit asks for them. */
export function rowsOf(result: BatchResult): CommitRows {
  const events = result.processed.flatMap((d) => d.events.map((p) => ({ p, deliveryId: d.deliveryId })));
  const at = (e: number) => events[e] as (typeof events)[number];
  return {
    ...base(result),
    count: events.length,
    values: (e) => eventValues(at(e).p, at(e).deliveryId),
    targets: (e) => at(e).p.targets,
    changes: (e) => at(e).p.changes,
  };
}

/** The batch's rows computed up front as arrays of primitives, for postMessage. */
export interface TransferBatch {
  readonly now: number;
  readonly maxAttempts: number;
  readonly deliveries: number[];
  readonly values: Value[][];
  readonly targets: string[][];
  readonly changes: EncodedChange[][];
  readonly invalid: Array<readonly [number, string]>;
  readonly failed: Array<readonly [number, string]>;
}

export function toTransfer(result: BatchResult): TransferBatch {
  const values: Value[][] = [];
  const targets: string[][] = [];
  const changes: EncodedChange[][] = [];
  for (const d of result.processed)
    for (const p of d.events) {
      values.push(eventValues(p, d.deliveryId));
      targets.push(p.targets as string[]);
      changes.push(
        p.changes.map((c) =>
          c.kind === 'status'
            ? statusValues(c)
            : c.kind === 'conversation'
              ? encodeConversation(c)
              : c.kind === 'contact'
                ? encodeContact(c)
                : c,
        ),
      );
    }
  return { ...base(result), values, targets, changes };
}

export function fromTransfer(b: TransferBatch): CommitRows {
  return {
    ...b,
    count: b.values.length,
    values: (e) => b.values[e] as Value[],
    targets: (e) => b.targets[e] as string[],
    changes: (e) => (b.changes[e] as EncodedChange[]).map(decodeChange),
  };
}

/** The port's outcome: the committed events with their objects, from the ids the commit returned. */
export function committedOf(result: BatchResult, o: CommitIds): CommitOutcome {
  const committed: CommittedEvent[] = [];
  let i = 0;
  for (const d of result.processed)
    for (const p of d.events) {
      const id = o.ids[i++];
      if (id) committed.push({ id: String(id), event: p.event, deliveryId: d.deliveryId });
    }
  return { committed, duplicates: o.duplicates, outboxRows: o.outboxRows };
}

/**
 * The management of destinations, shared by the API and WHARF_DESTINATIONS_FILE:
 * create, change, delete, test, rotate the secret, replay. Ports come in as parameters; every
 * refusal is a WharfError naming the field, and nothing is stored when one is raised.
 */
import { randomBytes } from 'node:crypto';
import type { Destination } from '../core/destinations/destination.js';
import { destinationMatcher } from '../core/destinations/destination-filter.js';
import { parseDestinationInput, type FieldProblem } from '../core/destinations/parse-destination-input.js';
import {
  conversationFormatProblem,
  withConversationDefaults,
} from '../core/destinations/conversation-format-rules.js';
import { WharfError } from '../errors.js';
import {
  DestinationNameTaken,
  destinationTarget,
  type DestinationFields,
  type DestinationStore,
} from '../ports/destination-store.js';
import type { TransportResult } from '../ports/destination-transport.js';
import type { DestinationKinds } from './destination-kinds.js';
import { outboundMessage } from './outbound-message.js';
import { sampleConversation, sampleEvent } from './sample-event.js';
import { compileTransform } from './compile-transform.js';
import { storedTransform } from './destination-set.js';
import { transformMessage } from './transform-message.js';
import { describeError } from './decide-failure.js';

export interface DestinationUseCaseDeps {
  readonly store: DestinationStore;
  readonly kinds: DestinationKinds;
  /** Something changed: the running set re-reads the store (and the dispatcher wakes). */
  readonly changed: () => Promise<void>;
  readonly now: () => number;
}

/** Kinds that write rows of fixed columns rather than send a body. */
const SINK_KINDS: ReadonlySet<string> = new Set(['mysql', 'postgres']);

const invalid = (p: FieldProblem) => new WharfError('DESTINATION_INVALID', `${p.field} ${p.message}`);

/** `whsec_` + base64, the Standard Webhooks form of a signing secret. */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const newId = () => `dst_${randomBytes(8).toString('hex')}`;

async function checkKind(
  deps: DestinationUseCaseDeps,
  f: Pick<DestinationFields, 'kind' | 'settings' | 'transform'>,
) {
  if (f.transform !== null && f.transform !== undefined) {
    if (SINK_KINDS.has(f.kind))
      throw invalid({
        field: 'transform',
        message: `does not apply to kind ${f.kind}: it writes the event's own columns, there is no body to transform`,
      });
    const compiled = compileTransform(f.transform);
    if (!compiled.ok) throw invalid({ field: 'transform', message: `does not compile: ${compiled.message}` });
  }
  const problem = deps.kinds.validateSettings(f.kind, f.settings);
  if (problem) throw new WharfError('DESTINATION_SETTINGS_INVALID', `${problem.field} ${problem.message}`);
  await deps.kinds.checkUrl(f.kind, f.settings);
}

export async function createDestination(
  deps: DestinationUseCaseDeps,
  json: unknown,
): Promise<{ destination: Destination; secret: string }> {
  const parsed = parseDestinationInput(json, 'create');
  if (!parsed.ok) throw invalid(parsed.problem);
  const fields = parsed.value.fields as DestinationFields;
  await checkKind(deps, fields);
  const secret = newSecret();
  try {
    const destination = await deps.store.create({ ...fields, id: newId(), secret }, deps.now());
    await deps.changed();
    return { destination, secret };
  } catch (err) {
    if (err instanceof DestinationNameTaken) throw new WharfError('DESTINATION_NAME_TAKEN', err.message);
    throw err;
  }
}

/** Null when there is no such destination. Given settings are merged into the stored ones. */
export async function updateDestination(
  deps: DestinationUseCaseDeps,
  id: string,
  json: unknown,
): Promise<Destination | null> {
  const parsed = parseDestinationInput(json, 'patch');
  if (!parsed.ok) throw invalid(parsed.problem);
  const old = await deps.store.get(id);
  if (old === null) return null;
  const { settings } = parsed.value;
  const fields = conversationPatch(old, parsed.value.fields);
  const given = Object.keys(settings).length > 0;
  const merged = given ? { ...old.settings, ...settings } : old.settings;
  const kind = fields.kind ?? old.kind;
  if (given || kind !== old.kind || fields.transform !== undefined)
    await checkKind(deps, { kind, settings: merged, transform: fields.transform ?? null });
  try {
    const updated = await deps.store.update(
      id,
      { ...fields, ...(given ? { settings: merged } : {}) },
      deps.now(),
    );
    await deps.changed();
    return updated;
  } catch (err) {
    if (err instanceof DestinationNameTaken) throw new WharfError('DESTINATION_NAME_TAKEN', err.message);
    throw err;
  }
}

/**
 * A patch as it will be stored: a destination becoming a conversation destination gets that
 * format's defaults (events `message.`, contact ordering) unless given, and the fields must fit it.
 */
function conversationPatch(old: Destination, patch: Partial<DestinationFields>): Partial<DestinationFields> {
  const merged = withConversationDefaults({ ...old, ...patch }, patch);
  const problem = conversationFormatProblem(merged);
  if (problem) throw invalid(problem);
  if (patch.format !== 'conversation' || old.format === 'conversation') return patch;
  return { ...patch, filter: merged.filter, ordering: merged.ordering };
}

export async function deleteDestination(deps: DestinationUseCaseDeps, id: string): Promise<boolean> {
  const gone = await deps.store.delete(id);
  if (gone) await deps.changed();
  return gone;
}

/** A new secret; the current one keeps signing beside it for `graceHours`. Null when not found. */
export async function rotateDestinationSecret(
  deps: DestinationUseCaseDeps,
  id: string,
  graceHours: number,
): Promise<{ secret: string; previousUntil: number } | null> {
  const now = deps.now();
  const secret = newSecret();
  const previousUntil = now + graceHours * 3_600_000;
  if (!(await deps.store.rotateSecret(id, secret, previousUntil, now))) return null;
  await deps.changed();
  return { secret, previousUntil };
}

/**
 * Sends one sample event now, through the destination's real transport and its transform (a transform
 * failing on it is the answer's error). A kind that can try without leaving a trace (database sinks)
 * does so. Null when not found.
 */
export async function testDestination(
  deps: DestinationUseCaseDeps,
  id: string,
): Promise<TransportResult | null> {
  const d = await deps.store.get(id);
  const secrets = await deps.store.secrets(id);
  if (d === null || secrets === null) return null;
  const now = deps.now();
  const event = sampleEvent(now);
  if (d.kind === 'sms')
    return {
      ok: false,
      status: null,
      durationMs: 0,
      responseExcerpt: null,
      error:
        'an sms destination sends a real SMS for a real failed message: try it end to end with `wharf simulate --scenario sms-fallback` (docs/actions.md)',
    };
  const transport = deps.kinds.openTransport(d, () => [secrets.current]);
  try {
    const conversation = { view: sampleConversation(event, now), now };
    let message = outboundMessage(d, secrets, { id: '0', event }, conversation);
    const transform = storedTransform(d.transform);
    if (transform) {
      const started = performance.now();
      try {
        message = await transformMessage(message, transform, secrets.current);
      } catch (err) {
        const durationMs = performance.now() - started;
        return { ok: false, status: null, durationMs, responseExcerpt: null, error: describeError(err) };
      }
    }
    const signal = AbortSignal.timeout(d.timeoutMs + 2000);
    const trial = { ...message, id: `${message.id}_test_${now}` };
    return await (transport.probe ? transport.probe(trial, signal) : transport.send(trial, signal));
  } finally {
    await transport.close().catch(() => undefined);
  }
}

export interface DestinationReplay {
  readonly from: number;
  readonly to: number;
  readonly failedOnly: boolean;
}

/**
 * Hands the events that occurred in [from, to) to this destination again: with `failedOnly`, only
 * its dead letters; otherwise every event its filter wants, including ones from before it existed.
 * Null when not found; else how many hand-offs were queued.
 */
export async function replayDestination(
  deps: DestinationUseCaseDeps,
  id: string,
  r: DestinationReplay,
): Promise<number | null> {
  const d = await deps.store.get(id);
  if (d === null) return null;
  const target = destinationTarget(id);
  const now = deps.now();
  let queued = 0;
  if (r.failedOnly) queued = await deps.store.requeueDead(target, r.from, r.to, now);
  else {
    const wants = destinationMatcher(d.filter);
    let after: string | null = null;
    for (;;) {
      const page = await deps.store.eventsBetween(r.from, r.to, after, 1000);
      if (page.length === 0) break;
      const wanted = page.filter((e) => wants(e.event)).map((e) => e.id);
      queued += await deps.store.enqueue(target, wanted, now);
      after = page[page.length - 1]?.id ?? null;
    }
  }
  await deps.changed();
  return queued;
}

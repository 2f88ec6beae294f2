/**
 * A destination as the API and WHARF_DESTINATIONS_FILE give it (snake_case JSON) →
 * the fields Wharf stores, or the first problem with the field named. Pure. Keys that are not a
 * destination field are the kind's settings (`url`, `headers`, `subject`, …), checked by the kind.
 */
import type { DestinationFields } from '../../ports/destination-store.js';
import { DESTINATION_FORMATS, DESTINATION_KINDS, type DestinationFilter } from './destination.js';
import {
  conversationFormatProblem,
  MAX_BATCH_WINDOW_MS,
  withConversationDefaults,
} from './conversation-format-rules.js';
import { EventPatternError, parseEventPatterns } from '../../events/event-pattern.js';
import { ERROR_ACTIONS } from '../error-policy.js';
import { withActionDefaults } from '../actions/alert-defaults.js';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: FieldProblem };

export interface DestinationInput {
  readonly fields: Partial<DestinationFields>;
  /** Kind settings given (all of them on create; the ones to change on a patch). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Fields of the destination itself; any other key is a kind setting. Read-only ones are refused. */
const OWN = ['name', 'kind', 'enabled', 'filter', 'format', 'timeout_ms', 'max_in_flight'] as const;
const MORE_OWN = ['rate_limit_per_second', 'ordering', 'batch_window_ms', 'transform'] as const;
const READ_ONLY = ['id', 'created_at', 'updated_at', 'disabled_reason', 'secret'];
const FILTER_KEYS = ['events', 'phone_number_ids', 'waba_ids', 'error_codes', 'error_actions'];
export const MAX_TIMEOUT_MS = 300_000;

class Problem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function int(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new Problem(field, `must be a whole number from ${min} to ${max}`);
  return v;
}

function strings(field: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === ''))
    throw new Problem(field, 'must be an array of non-empty strings');
  return v as string[];
}

export function parseFilter(v: unknown): DestinationFilter {
  if (v === null || v === undefined) return {};
  if (!isObject(v)) throw new Problem('filter', 'must be an object');
  const unknown = Object.keys(v).find((k) => !FILTER_KEYS.includes(k));
  if (unknown !== undefined)
    throw new Problem(`filter.${unknown}`, `is not a filter condition (${FILTER_KEYS.join(', ')})`);
  const f: { -readonly [K in keyof DestinationFilter]: DestinationFilter[K] } = {};
  if (v['events'] !== undefined) {
    try {
      // The one event pattern: names, `status.` or `status.*`, kept in the canonical spelling.
      f.events = parseEventPatterns(strings('filter.events', v['events'])).patterns;
    } catch (err) {
      if (!(err instanceof EventPatternError)) throw err;
      throw new Problem(`filter.events[${err.index}]`, err.message.replace(/^[^:]*: /, ''));
    }
  }
  if (v['phone_number_ids'] !== undefined)
    f.phoneNumberIds = strings('filter.phone_number_ids', v['phone_number_ids']);
  if (v['waba_ids'] !== undefined) f.wabaIds = strings('filter.waba_ids', v['waba_ids']);
  if (v['error_codes'] !== undefined) {
    const c = v['error_codes'];
    if (!Array.isArray(c) || c.some((x) => typeof x !== 'number' || !Number.isInteger(x)))
      throw new Problem('filter.error_codes', 'must be an array of whole numbers (Meta error codes)');
    f.errorCodes = c as number[];
  }
  if (v['error_actions'] !== undefined) {
    f.errorActions = strings('filter.error_actions', v['error_actions']);
    const bad = f.errorActions.find((a) => !(ERROR_ACTIONS as readonly string[]).includes(a));
    if (bad !== undefined)
      throw new Problem(
        'filter.error_actions',
        `${JSON.stringify(bad)} is not one of ${ERROR_ACTIONS.join(', ')}`,
      );
  }
  return f;
}

function ownField(fields: Record<string, unknown>, key: string, v: unknown): void {
  switch (key) {
    case 'name':
      if (typeof v !== 'string' || v.trim() === '' || v.length > 200)
        throw new Problem('name', 'must be a non-empty string of at most 200 characters');
      fields['name'] = v.trim();
      return;
    case 'kind':
      if (typeof v !== 'string' || !(DESTINATION_KINDS as readonly string[]).includes(v))
        throw new Problem('kind', `must be one of ${DESTINATION_KINDS.join(', ')}`);
      fields['kind'] = v;
      return;
    case 'enabled':
      if (typeof v !== 'boolean') throw new Problem('enabled', 'must be true or false');
      fields['enabled'] = v;
      return;
    case 'filter':
      fields['filter'] = parseFilter(v);
      return;
    case 'format':
      if (!(DESTINATION_FORMATS as readonly unknown[]).includes(v))
        throw new Problem('format', `must be one of ${DESTINATION_FORMATS.join(', ')}`);
      fields['format'] = v;
      return;
    case 'timeout_ms':
      fields['timeoutMs'] = int('timeout_ms', v, 1, MAX_TIMEOUT_MS);
      return;
    case 'max_in_flight':
      fields['maxInFlight'] = int('max_in_flight', v, 1, 1000);
      return;
    case 'rate_limit_per_second':
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 100_000))
        throw new Problem('rate_limit_per_second', 'must be null or a number above 0 and at most 100000');
      fields['rateLimitPerSecond'] = v;
      return;
    case 'ordering':
      if (v !== 'none' && v !== 'contact') throw new Problem('ordering', 'must be none or contact');
      fields['ordering'] = v;
      return;
    case 'batch_window_ms':
      fields['batchWindowMs'] = int('batch_window_ms', v, 0, MAX_BATCH_WINDOW_MS);
      return;
    case 'transform':
      if (v !== null && (typeof v !== 'string' || v.trim() === '' || v.length > 20_000))
        throw new Problem('transform', 'must be null or a non-empty expression of at most 20000 characters');
      fields['transform'] = v;
      return;
  }
}

const DEFAULTS: DestinationFields = {
  name: '',
  kind: 'http',
  enabled: true,
  filter: {},
  format: 'event',
  settings: {},
  timeoutMs: 10_000,
  maxInFlight: 10,
  rateLimitPerSecond: null,
  ordering: 'none',
  batchWindowMs: 0,
  transform: null,
};

/**
 * Database sinks (`mysql`, `postgres`) write every event waiting for a statement in that one
 * statement: their default max_in_flight lets a busy one write hundreds of rows per round trip.
 */
const SINK_MAX_IN_FLIGHT = 500;
const SINK_KINDS: readonly string[] = ['mysql', 'postgres'];

/** `create`: name and kind required, defaults filled in; `patch`: only what is given. */
export function parseDestinationInput(json: unknown, mode: 'create' | 'patch'): Parsed<DestinationInput> {
  try {
    if (!isObject(json)) throw new Problem('body', 'must be a JSON object');
    const fields: Record<string, unknown> = {};
    const settings: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(json)) {
      if (READ_ONLY.includes(key)) throw new Problem(key, 'is set by Wharf and cannot be given');
      if ((OWN as readonly string[]).includes(key) || (MORE_OWN as readonly string[]).includes(key))
        ownField(fields, key, v);
      else settings[key] = v;
    }
    if (mode === 'create') {
      for (const required of ['name', 'kind'])
        if (fields[required] === undefined) throw new Problem(required, 'is required');
      const given = fields as Partial<DestinationFields>;
      const sink = SINK_KINDS.includes(String(given.kind)) ? { maxInFlight: SINK_MAX_IN_FLIGHT } : {};
      const complete = withConversationDefaults(
        withActionDefaults({ ...DEFAULTS, ...sink, ...given, settings }, given),
        given,
      );
      const problem = conversationFormatProblem(complete);
      if (problem) throw new Problem(problem.field, problem.message);
      return { ok: true, value: { fields: complete, settings } };
    }
    return { ok: true, value: { fields, settings } };
  } catch (err) {
    if (err instanceof Problem) return { ok: false, problem: { field: err.field, message: err.message } };
    throw err;
  }
}

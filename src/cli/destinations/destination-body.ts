/**
 * `wharf destinations create` flags → the JSON body of POST /api/v1/destinations (docs/destinations.md:
 * snake_case, kind settings beside the common fields). Pure; Wharf validates the result and answers
 * 422 naming the field, so only what the flags themselves can get wrong is checked here.
 */
import { DESTINATION_FORMATS, DESTINATION_KINDS } from '../../core/destinations/destination.js';
import { eventsFlag } from '../events-flag.js';
import { wholeFlag } from '../parse-flag.js';

export interface CreateFlags {
  name?: string;
  kind?: string;
  url?: string;
  subject?: string;
  exchange?: string;
  routingKey?: string;
  stream?: string;
  header?: string[];
  setting?: string[];
  events?: string;
  phoneNumberIds?: string;
  wabaIds?: string;
  errorCodes?: string;
  errorActions?: string;
  format?: string;
  timeoutMs?: string;
  maxInFlight?: string;
  rateLimit?: string;
  ordering?: string;
  batchWindowMs?: string;
  disabled?: boolean;
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

function oneOf(flag: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value))
    throw new Error(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value;
}

/** `--header "Name: value"` → { Name: value }. */
function headers(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const h of values) {
    const at = h.indexOf(':');
    if (at <= 0) throw new Error(`--header must be "Name: value" (got "${h}")`);
    out[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  }
  return out;
}

/** `--setting key=value`: any kind setting without a flag of its own (email `to`, `from`, …). */
function settings(values: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of values ?? []) {
    const at = s.indexOf('=');
    if (at <= 0) throw new Error(`--setting must be key=value (got "${s}")`);
    const value = s.slice(at + 1);
    // Numbers and true/false as JSON would have them (redis `max_len=10000`); everything else is text.
    out[s.slice(0, at).trim()] = /^(\d+|true|false)$/.test(value)
      ? (JSON.parse(value) as number | boolean)
      : value;
  }
  return out;
}

function filter(f: CreateFlags): Record<string, unknown> | undefined {
  const codes = list(f.errorCodes)?.map((c) => {
    if (!/^\d+$/.test(c)) throw new Error(`--error-codes must be whole numbers (got "${c}")`);
    return Number(c);
  });
  const out = Object.fromEntries(
    Object.entries({
      events: eventsFlag(f.events)?.patterns,
      phone_number_ids: list(f.phoneNumberIds),
      waba_ids: list(f.wabaIds),
      error_codes: codes,
      error_actions: list(f.errorActions),
    }).filter(([, v]) => v !== undefined),
  );
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Only the fields given: Wharf fills in its documented defaults for the rest. */
export function destinationBody(f: CreateFlags): Record<string, unknown> {
  if (f.name === undefined || f.name.trim() === '') throw new Error('--name is required (or give --file)');
  if (f.kind === undefined) throw new Error(`--kind is required: one of ${DESTINATION_KINDS.join(', ')}`);
  const body: Record<string, unknown> = {
    name: f.name,
    kind: oneOf('kind', f.kind, DESTINATION_KINDS),
    ...settings(f.setting),
    url: f.url,
    headers: headers(f.header),
    subject: f.subject,
    exchange: f.exchange,
    routing_key: f.routingKey,
    stream: f.stream,
    filter: filter(f),
    format: oneOf('format', f.format, DESTINATION_FORMATS),
    timeout_ms: wholeFlag('timeout-ms', f.timeoutMs, { min: 1 }),
    max_in_flight: wholeFlag('max-in-flight', f.maxInFlight, { min: 1 }),
    rate_limit_per_second: wholeFlag('rate-limit', f.rateLimit, { min: 1 }),
    ordering: oneOf('ordering', f.ordering, ['none', 'contact']),
    batch_window_ms: wholeFlag('batch-window-ms', f.batchWindowMs, { min: 0 }),
    enabled: f.disabled ? false : undefined,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** `--file`: one destination, an array of them, or `{"destinations": [...]}` as in WHARF_DESTINATIONS_FILE. */
export function destinationsFromFile(path: string, text: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`);
  }
  // The shapes WHARF_DESTINATIONS_FILE takes too: an array, or {"destinations": [...]}; or one destination.
  const wrapped = (value as { destinations?: unknown } | null)?.destinations;
  const items = Array.isArray(value)
    ? (value as unknown[])
    : Array.isArray(wrapped)
      ? (wrapped as unknown[])
      : [value];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new Error(`${path}: item ${i} must be a JSON object describing one destination`);
  });
  return items as Record<string, unknown>[];
}

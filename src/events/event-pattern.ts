/**
 * THE one event pattern, for every place that selects events by name: the typed router, the
 * handler registry (wharf.on), the API filters (`?name=` of /events and /stream) and destination
 * filters. A pattern is an event name (`status.failed`) or a prefix: `status.` is the canonical
 * spelling (the API and destinations used it first), `status.*` is accepted everywhere as the same
 * prefix (the router used it first). Both come from the one list of event names, so a pattern that
 * names nothing is refused where it is written, with the closest known spelling, instead of
 * silently matching no event.
 */
import { closest } from 'fastest-levenshtein';
import { WharfError } from '../errors.js';
import { EVENT_NAMES, isEventName, type EventName } from './event-names.js';

/** Every dotted prefix of a name: `a.b.c` → `a.` | `a.b.`. */
type PrefixesOf<N extends string, Before extends string = ''> = N extends `${infer Head}.${infer Rest}`
  ? `${Before}${Head}.` | PrefixesOf<Rest, `${Before}${Head}.`>
  : never;

/** `message.`, `status.`, `template.`, …: the canonical prefix patterns (each ends with a dot). */
export type EventPrefixPattern = PrefixesOf<EventName>;

/** A name, a prefix (`status.`, canonical) or the same prefix with a star (`status.*`, accepted). */
export type EventPattern = EventName | EventPrefixPattern | `${EventPrefixPattern}*`;

/** Event names a pattern matches (so `on('status.', …)` narrows exactly as `on('status.*', …)`). */
export type NamesMatching<P extends EventPattern> = P extends EventName
  ? P
  : P extends `${infer Prefix}*`
    ? Extract<EventName, `${Prefix}${string}`>
    : Extract<EventName, `${P}${string}`>;

/** One parsed pattern: an exact name, or a prefix in its canonical spelling (ending with a dot). */
export type ParsedEventPattern =
  | { readonly kind: 'name'; readonly pattern: EventName }
  | { readonly kind: 'prefix'; readonly pattern: EventPrefixPattern };

export interface ParsedEventPatterns {
  /** Each entry in its canonical spelling, in the order given, duplicates removed. */
  readonly patterns: readonly string[];
  /** Every event name the entries match together. */
  readonly names: ReadonlySet<EventName>;
}

/** Every prefix some name has, canonical spelling, in catalog order. */
export const EVENT_PREFIXES: readonly EventPrefixPattern[] = [
  ...new Set(
    EVENT_NAMES.flatMap((name) => {
      const parts = name.split('.');
      return parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.`);
    }),
  ),
] as EventPrefixPattern[];

const PREFIX_SET: ReadonlySet<string> = new Set(EVENT_PREFIXES);
const KNOWN: readonly string[] = [...EVENT_NAMES, ...EVENT_PREFIXES];
/** Longer than every name; an error message shows at most this much of a pattern. */
const MAX_SHOWN = 80;

/** An event pattern that names nothing; `entry` is the pattern as given, `index` its place in the list. */
export class EventPatternError extends WharfError {
  readonly entry: unknown;
  readonly index: number;
  /** The closest known name or prefix, when the entry was a string. */
  readonly suggestion: string | undefined;
  constructor(entry: unknown, index: number, detail: string, suggestion?: string) {
    super('UNKNOWN_EVENT_PATTERN', detail);
    this.name = 'EventPatternError';
    this.entry = entry;
    this.index = index;
    this.suggestion = suggestion;
  }
}

function unknownPattern(entry: unknown, index: number): EventPatternError {
  if (typeof entry !== 'string' || entry === '')
    return new EventPatternError(
      entry,
      index,
      `${JSON.stringify(entry) ?? String(entry)} is not an event name or prefix (a non-empty string such as "status." or "message.text")`,
    );
  // Compare in the canonical spelling, so `stauts.*` suggests `status.` rather than a name; a
  // pattern far longer than any name is cut first, which bounds the cost of the comparison.
  const canonical = (entry.endsWith('.*') ? entry.slice(0, -1) : entry).slice(0, MAX_SHOWN);
  const suggestion = closest(canonical, KNOWN as string[]);
  const what =
    entry.endsWith('.') || entry.endsWith('.*') ? 'no event name starts with' : 'unknown event name';
  const shown = entry.length > MAX_SHOWN ? `${entry.slice(0, MAX_SHOWN)}…` : entry;
  return new EventPatternError(
    entry,
    index,
    `${what} ${JSON.stringify(shown)}; did you mean ${JSON.stringify(suggestion)}? (docs/events.md lists every name)`,
    suggestion,
  );
}

/** Parses one pattern; throws EventPatternError (code UNKNOWN_EVENT_PATTERN) when it names nothing. */
export function parseEventPattern(entry: unknown, index = 0): ParsedEventPattern {
  if (typeof entry === 'string') {
    if (isEventName(entry)) return { kind: 'name', pattern: entry };
    const prefix = entry.endsWith('.*') ? entry.slice(0, -1) : entry;
    if (PREFIX_SET.has(prefix)) return { kind: 'prefix', pattern: prefix as EventPrefixPattern };
  }
  throw unknownPattern(entry, index);
}

/** The listed event names that start with `prefix` (`status.`), in catalog order. */
export function namesWithPrefix(prefix: string): readonly EventName[] {
  return EVENT_NAMES.filter((name) => name.startsWith(prefix));
}

/** The names one parsed pattern matches. */
export function namesOf(parsed: ParsedEventPattern): readonly EventName[] {
  return parsed.kind === 'name' ? [parsed.pattern] : namesWithPrefix(parsed.pattern);
}

/**
 * Parses a list of patterns (a destination's `filter.events`, the patterns given to `on`): the
 * first entry that names nothing throws EventPatternError naming it, its index and the closest
 * known spelling. An empty list matches no event.
 */
export function parseEventPatterns(list: readonly unknown[]): ParsedEventPatterns {
  const patterns: string[] = [];
  const names = new Set<EventName>();
  list.forEach((entry, index) => {
    const parsed = parseEventPattern(entry, index);
    if (!patterns.includes(parsed.pattern)) patterns.push(parsed.pattern);
    for (const name of namesOf(parsed)) names.add(name);
  });
  return { patterns, names };
}

/**
 * Tolerant readers: every webhook value is `unknown` until narrowed here. Meta sends numbers
 * as strings and strings as numbers, so both are accepted where it makes sense.
 */

export type Obj = Readonly<Record<string, unknown>>;

const EMPTY: readonly never[] = [];

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** ES2024 String methods (Node 20 has them; the project's lib is ES2023). */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * A string; a finite number is turned into its decimal string (ids such as message_template_id).
 * U+0000 becomes U+FFFD: PostgreSQL text cannot hold it, and the failed commit cost the whole
 * delivery its other items; SQLite gets the same value so both adapters agree. A lone surrogate
 * (JSON may escape one, `\ud800`) becomes U+FFFD too: UTF-8 cannot encode it, so each store wrote
 * its own replacement (one U+FFFD on PostgreSQL, three on SQLite) and the key it kept was not the
 * one handlers got (on PostgreSQL the commit then failed). `raw` keeps both.
 */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const s = (v as WellFormed).isWellFormed() ? v : (v as WellFormed).toWellFormed();
    return s.includes('\u0000') ? s.replaceAll('\u0000', '\ufffd') : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A string or null (Meta uses explicit null for "no reason"). */
export function strOrNull(v: unknown): string | null | undefined {
  return v === null ? null : str(v);
}

/** A finite number; numeric strings accepted. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** An array, or an empty one for anything else (use `isList` to tell "absent" from "wrong type"). */
export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : EMPTY;
}

export function strList(v: unknown): readonly string[] {
  const out: string[] = [];
  for (const x of list(v)) {
    const s = str(x);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/**
 * Unix seconds (string or number) → epoch milliseconds. Values above 1e11 are taken to be
 * milliseconds already (year 5138 in seconds), so a sender using ms is not multiplied again.
 */
export function epochMs(v: unknown): number | null {
  const n = num(v);
  if (n === undefined || n < 0) return null;
  const ms = n > 1e11 ? Math.round(n) : Math.round(n * 1000);
  // Past year 9999 no date is meant. Past 8.64e15 ms a Date cannot hold it, and the read API
  // answered 500 ('Invalid time value') for the event, its message and (a day later: the 24 h
  // window) its contact; past 2^53 ms PostgreSQL's BIGINT refused the commit.
  return Number.isInteger(ms) && ms <= LAST_MS ? ms : null;
}

/** 9999-12-31T23:59:59.999Z: the last time toISOString writes with a four-digit year. */
const LAST_MS = 253_402_300_799_999;

/** A whole number that fits a 32-bit signed integer (Meta's error codes), else undefined. */
export function int32(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && Math.abs(n) <= 2 ** 31 - 1 ? n : undefined;
}

/** Phone-based ids: digits only, a leading `+` stripped (Meta's docs on identifier formats). */
export function phone(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && s.charCodeAt(0) === 43 ? s.slice(1) : s;
}

/** `authentication-international` (pricing) and `authentication_international` (origin) → one spelling. */
export function category(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined ? undefined : s.replace(/-/g, '_');
}

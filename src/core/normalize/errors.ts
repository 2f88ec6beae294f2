/** Wire error objects → WaErrorInfo (Meta's docs on the `messages` field and its error object). */
import type { WaErrorInfo } from '../../events/data-types/common.js';
import type { Loose, WireError } from '../../meta/common.js';
import { int32, list, obj, str } from './read.js';

const NONE: readonly WaErrorInfo[] = [];

export function waError(v: unknown): WaErrorInfo {
  const e = obj(v) as Loose<WireError> | undefined;
  if (e === undefined) return { code: null, details: str(v) };
  const data = obj(e.error_data);
  return {
    // A code that is not a whole 32-bit number is no code Meta documents; `raw` keeps it.
    code: int32(e.code) ?? null,
    title: str(e.title),
    message: str(e.message),
    details: data ? str(data['details']) : undefined,
    href: str(e.href),
  };
}

export function waErrors(v: unknown): readonly WaErrorInfo[] {
  const arr = list(v);
  return arr.length === 0 ? NONE : arr.map(waError);
}

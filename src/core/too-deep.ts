/**
 * A delivery nested too deep to process. JSON.parse reads any depth, but JSON.stringify (storing
 * `raw` and `data`) and the key hash recurse, and overflow the stack a few thousand levels down.
 * Meta's deliveries nest about ten levels, so such a body is hostile or broken: it is recorded
 * invalid at once with its depth, instead of failing each retry with 'Maximum call stack size
 * exceeded'. Processing does not always overflow (SQLite keeps `raw` out of the events row, and
 * reads it back from the delivery), so a body long enough to nest that deep is measured before it
 * is parsed (`tooDeepBody`): nesting 1,000 levels takes 2,000 bytes, more than a usual delivery,
 * so most bodies are never scanned. An overflow is still blamed on depth after the fact (`tooDeep`).
 */
import type { InvalidDelivery } from './parse-delivery.js';

/** Below this a stack overflow is not blamed on the body's depth (it is a bug, retried as one). */
export const TOO_DEEP_LEVELS = 1000;

/** Deepest nesting of arrays and objects in JSON text (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Deepest nesting in JSON bytes (UTF-8: no byte of a multi-byte character is a bracket or quote). */
function jsonDepthOfBytes(bytes: Uint8Array): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

const outcome = (depth: number): InvalidDelivery => ({
  code: 'TOO_DEEP',
  message: `body nests ${depth} levels deep, too deep to process (Meta's deliveries nest about 10)`,
});

/** TOO_DEEP before parsing, for a body that nests at least TOO_DEEP_LEVELS (only long bodies are scanned). */
export function tooDeepBody(body: Uint8Array): InvalidDelivery | undefined {
  if (body.byteLength < 2 * TOO_DEEP_LEVELS) return undefined;
  const depth = jsonDepthOfBytes(body);
  return depth < TOO_DEEP_LEVELS ? undefined : outcome(depth);
}

const isStackOverflow = (err: unknown) =>
  err instanceof Error && /maximum call stack size exceeded/i.test(err.message);

/** The TOO_DEEP outcome when `err`, thrown while processing `body`, is due to the body's depth. */
export function tooDeep(body: Uint8Array, err: unknown): InvalidDelivery | undefined {
  if (!isStackOverflow(err)) return undefined;
  const depth = jsonDepth(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  return depth < TOO_DEEP_LEVELS ? undefined : outcome(depth);
}

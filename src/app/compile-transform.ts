/**
 * A destination's `transform`: a JSONata expression (https://jsonata.org) evaluated on the formatted
 * payload, whose result is the body sent. Compiled once (a destination that does not compile is
 * refused at creation); each evaluation is bounded by JSONata's own guardrails (time, depth, sequence
 * length) and hands the event loop back every few thousand steps, so a runaway expression fails its
 * own attempt after TRANSFORM_LIMITS.timeoutMs and never holds up the dispatcher or the webhook.
 */
import jsonata from 'jsonata';

export const TRANSFORM_LIMITS = {
  /** Longest evaluation of one event, ms. */
  timeoutMs: 250,
  /** Deepest nesting of evaluation steps (recursive functions). */
  stack: 500,
  /** Longest sequence an expression may build (`[1..n]`, `$append`…). */
  sequence: 100_000,
} as const;

/** Longest stretch of an evaluation without handing the event loop back, ms. */
const YIELD_EVERY_MS = 5;

export type Transform = (payload: unknown) => Promise<unknown>;

/** A failed evaluation, with JSONata's error in plain words. */
export class TransformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransformError';
  }
}

interface JsonataProblem {
  readonly code?: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
}

function describe(err: unknown): string {
  if (err === null || typeof err !== 'object') return String(err);
  const p = err as JsonataProblem;
  if (p.code === 'D1012')
    return `ran longer than ${TRANSFORM_LIMITS.timeoutMs} ms on this event (an endless loop?) [D1012]`;
  if (p.code === 'D1011')
    return `nested deeper than ${TRANSFORM_LIMITS.stack} steps on this event (endless recursion?) [D1011]`;
  const where = typeof p.position === 'number' ? ` at character ${p.position}` : '';
  const code = p.code ? ` [${p.code}]` : '';
  return `${p.message ?? 'unknown error'}${where}${code}`;
}

/** The compiled expression, or why it does not compile (`Expected ")" … at character 12 [S0203]`). */
export function compileTransform(
  source: string,
): { ok: true; transform: Transform } | { ok: false; message: string } {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source, {
      timeout: TRANSFORM_LIMITS.timeoutMs,
      stack: TRANSFORM_LIMITS.stack,
      sequence: TRANSFORM_LIMITS.sequence,
    });
  } catch (err) {
    return { ok: false, message: describe(err) };
  }
  // Each step of an evaluation passes here (JSONata's entry hook); `environment.base` is the frame of
  // one evaluate() call, so evaluations running at once keep their own clocks.
  const lastYield = new WeakMap<object, number>();
  expr.assign(
    Symbol.for('jsonata.__evaluate_entry') as unknown as string,
    (_node: unknown, _input: unknown, environment: { base?: object }) => {
      const base = environment.base;
      if (base === undefined) return undefined;
      const now = performance.now();
      const since = lastYield.get(base);
      if (since === undefined) lastYield.set(base, now);
      else if (now - since >= YIELD_EVERY_MS) {
        lastYield.set(base, now);
        return new Promise<void>((resolve) => setImmediate(resolve));
      }
      return undefined;
    },
  );
  const transform: Transform = async (payload) => {
    try {
      return await expr.evaluate(payload);
    } catch (err) {
      const code = (err as JsonataProblem | null)?.code;
      const guard = code === 'D1012' || code === 'D1011';
      throw new TransformError(`transform ${guard ? '' : 'failed on this event: '}${describe(err)}`);
    }
  };
  return { ok: true, transform };
}

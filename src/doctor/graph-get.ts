import type { WharfConfig } from '../config/load-config.js';
import { check, errorText, type DoctorCheck } from './doctor-check.js';

export interface GraphError {
  readonly message?: string;
  readonly code?: number;
}

export type GraphAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly body: unknown; readonly error?: GraphError }
  | { readonly kind: 'unreachable'; readonly message: string };

/**
 * One GET on the Graph API (WHATSAPP_GRAPH_URL) with the access token as a bearer token, bounded by
 * timeoutMs. Never throws: a timeout or network failure is an `unreachable` answer naming it.
 */
export async function graphGet(
  config: WharfConfig,
  accessToken: string,
  path: string,
  timeoutMs: number,
): Promise<GraphAnswer> {
  try {
    const res = await fetch(`${config.graphUrl}${path}`, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    const error = (body as { error?: GraphError } | undefined)?.error;
    return error === undefined
      ? { kind: 'answer', status: res.status, body }
      : { kind: 'answer', status: res.status, body, error };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return {
      kind: 'unreachable',
      message: timedOut
        ? `The Graph API at ${config.graphUrl} did not answer within ${timeoutMs} ms.`
        : `The Graph API at ${config.graphUrl} could not be reached: ${errorText(err)}${causeCode(err)}.`,
    };
  }
}

/** fetch() rejects with a bare "fetch failed"; what went wrong (ECONNREFUSED, ENOTFOUND, bad port…) is in its cause. */
function causeCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const why = typeof cause?.code === 'string' ? cause.code : cause?.message;
  return typeof why === 'string' && why !== '' ? ` (${why})` : '';
}

/** Graph API error 190 (or a bare 401): the access token is invalid or expired (reference, error codes). */
export function isInvalidToken(answer: GraphAnswer): boolean {
  return answer.kind === 'answer' && (answer.status === 401 || answer.error?.code === 190);
}

/** The check `name` fails on an invalid or expired access token (isInvalidToken), saying how to get a new one. */
export function invalidTokenCheck(name: string): DoctorCheck {
  return check(
    name,
    'fail',
    'The access token is invalid or expired (Graph API error 190).',
    'Create a new system-user token in Business Settings → System users with whatsapp_business_management and set WHATSAPP_ACCESS_TOKEN.',
  );
}

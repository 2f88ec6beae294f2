import { randomInt } from 'node:crypto';
import { diagnoseHandshake, type HandshakeProblem } from './diagnose-handshake.js';
import { httpGet } from './http-get.js';

export interface VerifyEndpointOptions {
  readonly url: string | URL;
  readonly verifyToken: string;
  /** Default 10 s. */
  readonly timeoutMs?: number;
  /** Fixed challenge (tests); default a random numeric-looking one, like Meta's (Meta's docs on the verification request). */
  readonly challenge?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** The endpoint without its query string, so the token is never printed. */
  readonly endpoint: string;
  readonly status: number | null;
  readonly contentType?: string;
  readonly latencyMs: number;
  readonly problem?: HandshakeProblem;
  readonly message: string;
  /** Things that pass Meta's check but deserve attention. */
  readonly warnings: readonly string[];
}

function handshakeUrl(base: URL, token: string, challenge: string): URL {
  const url = new URL(base);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', token);
  return url;
}

/** Performs Meta's GET subscription handshake against an endpoint and explains any failure. */
export async function verifyEndpoint(options: VerifyEndpointOptions): Promise<VerifyResult> {
  const base = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const challenge = options.challenge ?? String(randomInt(100_000_000, 2_000_000_000));
  const outcome = await httpGet(handshakeUrl(base, options.verifyToken, challenge), timeoutMs);
  const verdict = diagnoseHandshake(outcome, challenge, timeoutMs);
  const warnings: string[] = [];
  if (verdict.ok) {
    // An endpoint that echoes for any token lets anyone point a subscription at it.
    const probe = await httpGet(handshakeUrl(base, `${options.verifyToken}-wrong`, challenge), timeoutMs);
    if (probe.kind === 'answer' && probe.status === 200) {
      warnings.push(
        'The endpoint also accepted a wrong verify token: it should answer 403 unless the token matches.',
      );
    }
  }
  const endpoint = `${base.origin}${base.pathname}`;
  return {
    ok: verdict.ok,
    endpoint,
    status: outcome.kind === 'answer' ? outcome.status : null,
    ...(outcome.kind === 'answer' && outcome.headers['content-type'] !== undefined
      ? { contentType: outcome.headers['content-type'] }
      : {}),
    latencyMs: Math.round(outcome.latencyMs * 100) / 100,
    ...(verdict.problem === undefined ? {} : { problem: verdict.problem }),
    message: verdict.message,
    warnings,
  };
}

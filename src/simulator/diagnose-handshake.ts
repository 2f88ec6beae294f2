import type { GetOutcome } from './http-get.js';

export type HandshakeProblem =
  | 'wrong-token'
  | 'challenge-not-echoed'
  | 'not-text-plain'
  | 'redirect'
  | 'not-found'
  | 'method-not-allowed'
  | 'server-error'
  | 'unexpected-status'
  | 'tls'
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'network';

export interface HandshakeDiagnosis {
  readonly ok: boolean;
  readonly problem?: HandshakeProblem;
  /** Plain words: what happened and what to change. */
  readonly message: string;
}

// Node/OpenSSL error codes that mean "the TLS handshake or certificate check failed".
const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|EPROTO$|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_)/;

/**
 * Pure: turns the answer to Meta's GET handshake (Meta's docs on the verification request) into a verdict a person can act
 * on. Success means exactly what Meta checks: 200 and the bare challenge as the body, as plain text.
 */
export function diagnoseHandshake(
  outcome: GetOutcome,
  challenge: string,
  timeoutMs: number,
): HandshakeDiagnosis {
  if (outcome.kind === 'error') return diagnoseError(outcome.code, outcome.message, timeoutMs);
  const { status, headers, body } = outcome;
  if (status >= 300 && status < 400) {
    const to = headers.location === undefined ? '' : ` to ${headers.location}`;
    return fail(
      'redirect',
      `The endpoint redirects (HTTP ${status}${to}). Register the final URL in the App Dashboard: the callback URL itself must answer the handshake.`,
    );
  }
  if (status === 401 || status === 403) {
    return fail(
      'wrong-token',
      `The endpoint refused the handshake (HTTP ${status}). The verify token does not match: it must be exactly the text typed in the App Dashboard's "Verify token" box (for Wharf, WHATSAPP_VERIFY_TOKEN), and it must be set.`,
    );
  }
  if (status === 404)
    return fail(
      'not-found',
      'Nothing answers at this path (HTTP 404). Check the callback URL path (Wharf listens on /webhooks/whatsapp by default).',
    );
  if (status === 405)
    return fail(
      'method-not-allowed',
      'The path does not accept GET (HTTP 405). The handshake is a GET on the same URL that receives the POSTs.',
    );
  if (status >= 500)
    return fail(
      'server-error',
      `The endpoint failed with HTTP ${status}. Look at the server's logs; Meta treats this as a failed verification.`,
    );
  if (status !== 200)
    return fail(
      'unexpected-status',
      `The endpoint answered HTTP ${status}; Meta needs exactly 200 with the challenge as the body.`,
    );
  if (body !== challenge) return notEchoed(body, challenge);
  const type = String(headers['content-type'] ?? '');
  if (!/^text\/plain\b/i.test(type)) {
    return fail(
      'not-text-plain',
      `The challenge came back, but as ${type === '' ? 'no Content-Type' : `Content-Type: ${type}`}. Answer with Content-Type: text/plain and the bare challenge, as Meta expects.`,
    );
  }
  return {
    ok: true,
    message: 'The endpoint answered 200 with the challenge as text/plain: Meta will accept it.',
  };
}

function notEchoed(body: string, challenge: string): HandshakeDiagnosis {
  const shown = body.length > 80 ? `${body.slice(0, 80)}…` : body;
  const hint = body.includes(challenge)
    ? 'The challenge is in there but wrapped (JSON, quotes, HTML or whitespace): answer with the bare value of hub.challenge and nothing else.'
    : 'Answer with the value of the hub.challenge query parameter, unchanged.';
  return fail(
    'challenge-not-echoed',
    `The endpoint answered 200 but the body was ${body === '' ? 'empty' : `"${shown}"`}, not the challenge "${challenge}". ${hint}`,
  );
}

/** A request that got no answer (socket error code, or TIMEOUT), in plain words; shared with wharf simulate. */
export function diagnoseError(code: string, message: string, timeoutMs: number): HandshakeDiagnosis {
  if (code === 'TIMEOUT')
    return fail(
      'timeout',
      `No answer within ${timeoutMs} ms. Is a firewall dropping the traffic, or is the server stuck? Meta needs a prompt answer.`,
    );
  if (code === 'ECONNREFUSED')
    return fail(
      'refused',
      'Connection refused: nothing is listening at this host and port. Is the server running, and on this port?',
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail('dns', `The host name does not resolve (${code}). Check the spelling and the DNS record.`);
  if (TLS_CODE.test(code)) {
    return fail(
      'tls',
      `The TLS connection failed (${code}: ${message}). Meta only calls HTTPS endpoints with a valid certificate from a trusted CA; self-signed certificates are rejected.`,
    );
  }
  return fail('network', `The request failed (${code}: ${message}).`);
}

function fail(problem: HandshakeProblem, message: string): HandshakeDiagnosis {
  return { ok: false, problem, message };
}

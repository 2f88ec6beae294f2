/**
 * A failed send → one sentence for the attempt log, in plain words, never holding a secret:
 * credentials in URLs are cut out and the transport's secrets are masked, because client
 * libraries sometimes echo the connection URL or a header in their messages.
 */
import { WharfError } from '../../errors.js';

const CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listens on that host and port)',
  ECONNRESET: 'connection reset by the receiver',
  EPIPE: 'connection closed by the receiver while sending',
  ETIMEDOUT: 'connecting timed out',
  ENOTFOUND: 'host not found (DNS has no address for it)',
  EAI_AGAIN: 'DNS lookup failed for now (temporary resolver failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the receiver did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the receiver stopped sending its answer',
  UND_ERR_SOCKET: 'connection closed by the receiver',
  UND_ERR_CLOSED: 'the connection pool was closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the receiver presents a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the certificate chain is incomplete',
  CERT_HAS_EXPIRED: "TLS: the receiver's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is not for this host name',
};

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in CODES) return code;
    // Some clients wrap the socket error under their own code (nodemailer: ESOCKET) and keep the
    // original only in the message.
    const named = (e as { message?: unknown }).message;
    const inText = typeof named === 'string' ? /\b(E[A-Z_]+)\b/.exec(named)?.[1] : undefined;
    if (inText !== undefined && inText in CODES) return inText;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Removes `user:password@` from URLs and every given secret from `text`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

function rawMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return rawMessage(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Plain words for `err`; a catalogue error (e.g. an SSRF refusal) keeps its own message. */
export function describeSendError(err: unknown, secrets: readonly string[] = []): string {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    if (e instanceof WharfError) return redact(e.message, secrets);
  }
  const code = codeOf(err);
  const detail = redact(rawMessage(err), secrets);
  return code !== undefined ? `${CODES[code]} (${code})` : detail;
}

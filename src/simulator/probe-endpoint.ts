import { connect } from 'node:net';
import { diagnoseError } from './diagnose-handshake.js';

export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Errors that will not go away by waiting a few seconds: nothing listens, or the name does not resolve. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Opens (and closes) one TCP connection to the endpoint's host and port. Meta keeps retrying an
 * endpoint that refuses connections for 7 days, so a simulation run against a port where nothing
 * listens would retry for minutes without a word; this tells at once, in the words of
 * `wharf verify`. Anything else (a timeout, a reset) is left to the deliveries themselves to report.
 */
export function probeEndpoint(endpoint: string | URL, timeoutMs: number): Promise<ProbeResult> {
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  // URL keeps IPv6 literals bracketed; net.connect wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: true }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      done(
        UNREACHABLE.has(code)
          ? { ok: false, message: diagnoseError(code, err.message, timeoutMs).message }
          : { ok: true },
      );
    });
  });
}

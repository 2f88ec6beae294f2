import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export type GetOutcome =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      readonly body: string;
      readonly latencyMs: number;
    }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly latencyMs: number };

const BODY_LIMIT = 4096;

/** One GET, redirects not followed, never throws: the caller diagnoses every outcome. */
export function httpGet(url: URL, timeoutMs: number): Promise<GetOutcome> {
  const transport = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: GetOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (err: NodeJS.ErrnoException): void =>
      finish({
        kind: 'error',
        code: err.code ?? 'ERROR',
        message: err.message,
        latencyMs: performance.now() - started,
      });
    const req = transport.get(url, { headers: { 'user-agent': 'facebookplatform/1.0' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < BODY_LIMIT) body += chunk.slice(0, BODY_LIMIT - body.length);
      });
      res.on('end', () =>
        finish({
          kind: 'answer',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          latencyMs: performance.now() - started,
        }),
      );
      res.on('error', fail);
    });
    const timer = setTimeout(() => {
      finish({ kind: 'error', code: 'TIMEOUT', message: 'timeout', latencyMs: performance.now() - started });
      req.destroy();
    }, timeoutMs);
    req.on('error', fail);
  });
}

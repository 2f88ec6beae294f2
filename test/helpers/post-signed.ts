import { request } from 'node:http';
import { signBody } from '../../src/core/verify-signature.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Raw HTTP request (no client-side body re-encoding), resolving with status, headers and text. */
export function httpRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Uint8Array | string;
    agent?: import('node:http').Agent;
  } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** POSTs bytes signed with `secret` exactly as sent. */
export function postSigned(
  url: string,
  body: Uint8Array | string,
  secret: string,
  extraHeaders: Record<string, string> = {},
  agent?: import('node:http').Agent,
): Promise<HttpAnswer> {
  return httpRequest(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signBody(body, secret),
      ...extraHeaders,
    },
    ...(agent ? { agent } : {}),
  });
}

export function apiGet(baseUrl: string, path: string, token: string | undefined): Promise<HttpAnswer> {
  return httpRequest(baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

import type { ServerResponse } from 'node:http';
import { WharfError, type ErrorCode } from '../errors.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Answers with the catalogue entry for `code` (never echoing secrets or request content). */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  detail?: string,
  headers: Record<string, string> = {},
): void {
  const err = new WharfError(code, detail);
  sendJson(res, err.status, err.toJSON(), headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

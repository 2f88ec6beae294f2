/**
 * The Graph API client (port: src/ports/graph-api.ts) on undici: one keep-alive agent, the access
 * token as a bearer token on every call (never logged, never in an error text), a timeout per call,
 * and Meta's error body taken apart by metaErrorFromBody.
 */
import { Agent, request } from 'undici';
import type { Readable } from 'node:stream';
import { metaErrorFromBody } from '../../core/meta-error.js';
import type {
  GraphApi,
  GraphDownloadResult,
  GraphFailure,
  GraphJsonResult,
  GraphSendResult,
} from '../../ports/graph-api.js';
import { graphFailure } from './graph-failure.js';

export interface GraphClientOptions {
  /** WHATSAPP_GRAPH_URL, e.g. `https://graph.facebook.com/v24.0`. */
  readonly graphUrl: string;
  readonly accessToken: string;
  /** Per call, from sending the request to the end of the answer (default 30 s). */
  readonly timeoutMs?: number;
  /** Keep-alive connections per origin (default 128). */
  readonly connections?: number;
}

const EXCERPT = 300;

export function createGraphClient(options: GraphClientOptions): GraphApi {
  const base = options.graphUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const auth = `Bearer ${options.accessToken}`;

  async function call(
    method: 'GET' | 'POST',
    url: string,
    body?: string,
  ): Promise<
    { status: number; headers: Record<string, string | string[] | undefined>; body: Readable } | GraphFailure
  > {
    try {
      const res = await request(url, {
        method,
        dispatcher: agent,
        headers: {
          authorization: auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      return graphFailure(err, timeoutMs);
    }
  }

  async function readJson(
    method: 'GET' | 'POST',
    url: string,
    body?: string,
  ): Promise<{ status: number; json: unknown; text: string; traceId: string | null } | GraphFailure> {
    const res = await call(method, url, body);
    if ('kind' in res) return res;
    let text: string;
    try {
      text = await textOf(res.body);
    } catch (err) {
      return graphFailure(err, timeoutMs, true);
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    const trace = res.headers['x-fb-trace-id'];
    return { status: res.status, json, text, traceId: typeof trace === 'string' ? trace : null };
  }

  function failureOf(r: {
    status: number;
    json: unknown;
    text: string;
    traceId: string | null;
  }): GraphFailure {
    const error = metaErrorFromBody(r.json, r.traceId);
    return error !== null
      ? { kind: 'meta_error', httpStatus: r.status, error }
      : { kind: 'http_error', httpStatus: r.status, excerpt: r.text.slice(0, EXCERPT) };
  }

  return {
    async sendMessage(phoneNumberId, message): Promise<GraphSendResult> {
      const url = `${base}/${encodeURIComponent(phoneNumberId)}/messages`;
      const r = await readJson('POST', url, JSON.stringify({ messaging_product: 'whatsapp', ...message }));
      if ('kind' in r) return r;
      const wamid = firstMessageId(r.json);
      if (r.status < 200 || r.status > 299 || wamid === null) return failureOf(r);
      const answer = r.json as {
        contacts?: Array<{ wa_id?: unknown; user_id?: unknown }>;
        messages: Array<{ message_status?: unknown }>;
      };
      const contact = answer.contacts?.[0];
      const status = answer.messages[0]?.message_status;
      return {
        kind: 'accepted',
        httpStatus: r.status,
        wamid,
        waId: typeof contact?.wa_id === 'string' ? contact.wa_id : null,
        userId: typeof contact?.user_id === 'string' ? contact.user_id : null,
        messageStatus: typeof status === 'string' ? status : null,
        fbtraceId: r.traceId,
      };
    },
    async getJson(path): Promise<GraphJsonResult> {
      const r = await readJson('GET', `${base}${path.startsWith('/') ? path : `/${path}`}`);
      if ('kind' in r) return r;
      if (r.status < 200 || r.status > 299 || r.json === undefined) return failureOf(r);
      return { kind: 'ok', httpStatus: r.status, body: r.json };
    },
    async download(url): Promise<GraphDownloadResult> {
      const res = await call('GET', url);
      if ('kind' in res) return res;
      if (res.status < 200 || res.status > 299) {
        let text = '';
        try {
          text = await textOf(res.body);
        } catch {
          // The error answer could not be read: its status says enough.
        }
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          json = undefined;
        }
        return failureOf({ status: res.status, json, text, traceId: null });
      }
      const type = res.headers['content-type'];
      const length = Number(res.headers['content-length']);
      return {
        kind: 'ok',
        httpStatus: res.status,
        contentType: typeof type === 'string' ? type : null,
        contentLength: Number.isInteger(length) ? length : null,
        body: res.body,
      };
    },
    close: () => agent.close(),
  };
}

async function textOf(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function firstMessageId(json: unknown): string | null {
  const messages = (json as { messages?: unknown } | null | undefined)?.messages;
  if (!Array.isArray(messages)) return null;
  const id = (messages[0] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}

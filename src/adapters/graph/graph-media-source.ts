/**
 * Meta's media endpoints (Meta's media page) with undici: `GET {graph}/{media-id}` with the bearer token
 * → `{url, mime_type, sha256, file_size}`, then `GET url` with the same token → the bytes. The token
 * goes only into the Authorization header; errors name the status and Meta's code, never the token.
 */
import { Agent, request, type Dispatcher } from 'undici';
import {
  MediaSourceError,
  type MediaDownload,
  type MediaMetadata,
  type MediaSource,
} from '../../ports/media-source.js';

export interface GraphMediaOptions {
  /** WHATSAPP_GRAPH_URL, e.g. https://graph.facebook.com/v24.0 */
  readonly graphUrl: string;
  readonly accessToken: string;
  /** Per request (headers and body); the download's body is bounded by the caller's signal. */
  readonly timeoutMs?: number;
}

interface GraphErrorBody {
  readonly error?: { readonly code?: number; readonly message?: string; readonly fbtrace_id?: string };
}

function describe(status: number, body: GraphErrorBody | null): string {
  const e = body?.error;
  if (e === undefined) return `Graph API answered ${status}`;
  const trace = e.fbtrace_id === undefined ? '' : ` (fbtrace_id ${e.fbtrace_id})`;
  return `Graph API answered ${status}: code ${e.code ?? '?'} ${e.message ?? ''}${trace}`.trim();
}

export class GraphMediaSource implements MediaSource {
  private readonly agent: Agent;
  private readonly base: string;

  constructor(private readonly o: GraphMediaOptions) {
    const timeout = o.timeoutMs ?? 30_000;
    this.agent = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout } });
    this.base = o.graphUrl.replace(/\/+$/, '');
  }

  private async get(url: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${this.o.accessToken}` },
        dispatcher: this.agent,
        signal,
      });
    } catch (err) {
      const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new MediaSourceError('transient', `Graph API unreachable (${why})`);
    }
  }

  async metadata(mediaId: string, phoneNumberId: string | null, signal: AbortSignal): Promise<MediaMetadata> {
    const query = phoneNumberId === null ? '' : `?phone_number_id=${encodeURIComponent(phoneNumberId)}`;
    const res = await this.get(`${this.base}/${encodeURIComponent(mediaId)}${query}`, signal);
    const text = await res.body.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (res.statusCode !== 200) {
      const code = (body as GraphErrorBody | null)?.error?.code;
      // Meta answers an unknown or expired media id with 404, or 400 with code 100 ("does not exist").
      const gone = res.statusCode === 404 || (res.statusCode === 400 && code === 100);
      throw new MediaSourceError(
        gone ? 'gone' : 'transient',
        describe(res.statusCode, body as GraphErrorBody),
      );
    }
    const m = (body ?? {}) as Record<string, unknown>;
    if (typeof m['url'] !== 'string')
      throw new MediaSourceError('transient', 'Graph API media metadata has no url');
    return {
      url: m['url'],
      mimeType: typeof m['mime_type'] === 'string' ? m['mime_type'] : null,
      sha256: typeof m['sha256'] === 'string' ? m['sha256'] : null,
      fileSize: typeof m['file_size'] === 'number' ? m['file_size'] : Number(m['file_size'] ?? NaN) || null,
    };
  }

  async download(url: string, signal: AbortSignal): Promise<MediaDownload> {
    const res = await this.get(url, signal);
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      // The URL's 5 minutes ran out (Meta's media page: on 404 fetch a new URL).
      const expired = [401, 403, 404, 410].includes(res.statusCode);
      throw new MediaSourceError(
        expired ? 'expired' : 'transient',
        `media download answered ${res.statusCode}`,
      );
    }
    const type = res.headers['content-type'];
    const length = Number(res.headers['content-length']);
    return {
      body: res.body,
      contentType: typeof type === 'string' ? type : null,
      length: Number.isFinite(length) ? length : null,
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

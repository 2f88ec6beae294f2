/**
 * The dashboard talks only to Wharf's public API with the bearer token, so anything it shows a
 * script can get too. The token is kept for the browser session (sessionStorage), never put in a URL.
 */
const KEY = 'wharf-api-token';

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}
export function saveToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Listeners told when the token is refused (401), so the app goes back to sign-in. */
const onUnauthorized = new Set<() => void>();
export function whenUnauthorized(fn: () => void): () => void {
  onUnauthorized.add(fn);
  return () => onUnauthorized.delete(fn);
}

export async function request(
  path: string,
  init: { method?: string; body?: unknown; token?: string; accept?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const token = init.token ?? savedToken() ?? '';
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.accept) headers['accept'] = init.accept;
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.signal ? { signal: init.signal } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.ok) return res;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (res.status === 401 && init.token === undefined) for (const fn of onUnauthorized) fn();
  throw new ApiError(res.status, err?.code ?? String(res.status), err?.message ?? res.statusText, body);
}

export async function api<T>(path: string, init: Parameters<typeof request>[1] = {}): Promise<T> {
  const res = await request(path, init);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query string of the given values, empty ones left out. */
export function qs(values: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

export interface WharfEvent {
  id: string;
  name: string;
  key: string;
  occurred_at: string | null;
  recorded_at?: string;
  phone_number_id: string | null;
  contact: { wa_id: string | null; user_id: string | null; name: string | null } | null;
  wamid: string | null;
  data: Record<string, unknown>;
  raw: unknown;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
}

/**
 * Follows GET /api/v1/stream with fetch (EventSource cannot send the bearer header), parsing SSE
 * frames; reconnects after a drop from the last event id. Returns a stop function.
 */
export function followStream(
  filters: Record<string, string>,
  onEvents: (events: WharfEvent[]) => void,
  onState: (state: 'live' | 'reconnecting' | 'error', detail?: string) => void,
): () => void {
  const abort = new AbortController();
  let last: string | null = null;
  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const res = await request(`/api/v1/stream${qs({ ...filters, after: last })}`, {
          accept: 'text/event-stream',
          signal: abort.signal,
        }).catch((err: unknown) => {
          if (err instanceof ApiError && err.status < 500) throw Object.assign(err, { fatal: true });
          throw err;
        });
        onState('live');
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const frames = buffer.split('\n\n');
          buffer = frames.pop() ?? '';
          const batch: WharfEvent[] = [];
          for (const frame of frames) {
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('id:')) last = line.slice(3).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (data !== '') batch.push(JSON.parse(data) as WharfEvent);
          }
          if (batch.length > 0) onEvents(batch);
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        if ((err as { fatal?: boolean }).fatal) {
          onState('error', (err as Error).message);
          return;
        }
      }
      if (abort.signal.aborted) return;
      onState('reconnecting');
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => abort.abort();
}

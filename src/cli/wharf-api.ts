/**
 * The CLI's client of a running Wharf's /api/v1 (docs/destinations.md for its destination routes). Every answer comes back as status and
 * JSON; what a person needs to read instead of a stack trace (nothing listening, a refused token)
 * is turned into a WharfApiError with the fix in its message.
 */

export interface WharfApi {
  /** Base URL of the Wharf, e.g. http://127.0.0.1:8080 (no trailing slash). */
  readonly base: string;
  readonly token: string | undefined;
}

export interface ApiAnswer {
  readonly status: number;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  readonly json: unknown;
}

/** A failure to talk to Wharf at all, in words a person can act on. */
export class WharfApiError extends Error {
  override readonly name = 'WharfApiError';
}

/** The message for an answer Wharf refused: its own error message when it gave one. */
export function errorMessage(answer: ApiAnswer): string {
  const body = answer.json as { error?: { message?: unknown; field?: unknown } } | null;
  const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${answer.status}`;
  const field = typeof body?.error?.field === 'string' ? body.error.field : undefined;
  return field !== undefined && !message.includes(field) ? `${field}: ${message}` : message;
}

/** Why a fetch to Wharf failed, said for a person (nothing listening, unknown host, …). */
export function unreachable(api: WharfApi, err: unknown): WharfApiError {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'ECONNREFUSED')
    return new WharfApiError(
      `nothing is listening at ${api.base}: is Wharf running? (start it with "wharf start", or point --from at it)`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new WharfApiError(`the host of ${api.base} is not known (check --from)`);
  const why = typeof code === 'string' ? code : (err as Error).message;
  return new WharfApiError(`could not reach Wharf at ${api.base}: ${why}`);
}

/** The answer to a refused token, the same for every command. */
export function unauthorized(api: WharfApi, answer: ApiAnswer): WharfApiError {
  const hint =
    api.token === undefined
      ? 'no API token was given: set WHARF_API_TOKEN or pass --api-token'
      : 'the API token was refused: use the WHARF_API_TOKEN that Wharf runs with';
  return new WharfApiError(`Wharf at ${api.base} answered 401 (${errorMessage(answer)}); ${hint}`);
}

export function authHeaders(api: WharfApi): Record<string, string> {
  return api.token === undefined ? {} : { authorization: `Bearer ${api.token}` };
}

/**
 * One request to /api/v1. Throws WharfApiError when Wharf cannot be reached or refuses the token;
 * every other answer (404, 409, 422, …) is returned for the command to explain.
 */
export async function callApi(
  api: WharfApi,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer & { headers?: Headers }> {
  let res: Response;
  try {
    res = await fetch(`${api.base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...authHeaders(api),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      redirect: 'manual',
    });
  } catch (err) {
    throw unreachable(api, err);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    json = null;
  }
  const answer = { status: res.status, json };
  if (res.status === 401) throw unauthorized(api, answer);
  return { ...answer, headers: res.headers };
}

/** `--from` checked: an http(s) URL without a path, returned without a trailing slash. */
export function wharfBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--from must be the http:// or https:// URL of a running Wharf (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--from must be the http:// or https:// URL of a running Wharf (got "${value}")`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

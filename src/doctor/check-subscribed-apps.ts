import type { WharfConfig } from '../config/load-config.js';
import { check, errorText, type DoctorCheck } from './doctor-check.js';

interface GraphError {
  readonly message?: string;
  readonly code?: number;
}

const NAME = 'WABA subscription';

/**
 * `GET /{waba}/subscribed_apps` (reference §1.1): without a subscribed app Meta delivers no real
 * messages, although the dashboard's Test button still reaches the callback URL.
 */
export async function checkSubscribedApps(
  config: WharfConfig,
  wabaId: string,
  timeoutMs: number,
): Promise<DoctorCheck> {
  if (config.accessToken === undefined)
    return check(
      NAME,
      'warn',
      `The subscription of WABA ${wabaId} cannot be checked: WHATSAPP_ACCESS_TOKEN is not set.`,
      'Set WHATSAPP_ACCESS_TOKEN to a system-user token with whatsapp_business_management.',
    );
  const url = `${config.graphUrl}/${encodeURIComponent(wabaId)}/subscribed_apps`;
  let status: number;
  let body: unknown;
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${config.accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    const text = await res.text();
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return check(
      NAME,
      'fail',
      timedOut
        ? `The Graph API at ${config.graphUrl} did not answer within ${timeoutMs} ms.`
        : `The Graph API at ${config.graphUrl} could not be reached: ${errorText(err)}.`,
      'Check network access to graph.facebook.com (or WHATSAPP_GRAPH_URL) and try again.',
    );
  }
  const error = (body as { error?: GraphError } | undefined)?.error;
  if (status === 401 || error?.code === 190)
    return check(
      NAME,
      'fail',
      'The access token is invalid or expired (Graph API error 190).',
      'Create a new system-user token in Business Settings → System users with whatsapp_business_management and set WHATSAPP_ACCESS_TOKEN.',
    );
  const data = (body as { data?: unknown } | undefined)?.data;
  if (status !== 200 || error !== undefined || !Array.isArray(data))
    return check(
      NAME,
      'fail',
      `The Graph API refused GET /${wabaId}/subscribed_apps (HTTP ${status}${error?.message ? `: ${error.message}` : ''}).`,
      'Check the WABA id (Business Settings → Accounts → WhatsApp accounts) and that the token has access to it.',
    );
  if (data.length === 0)
    return check(
      NAME,
      'fail',
      `WABA ${wabaId} has no subscribed app, so real messages never arrive while the dashboard Test works.`,
      `Subscribe your app: POST /${wabaId}/subscribed_apps with this access token.`,
    );
  const names = data.map((d: unknown) => {
    const app = (d as { whatsapp_business_api_data?: { name?: unknown; id?: unknown } })
      .whatsapp_business_api_data;
    return typeof app?.name === 'string' ? app.name : typeof app?.id === 'string' ? app.id : 'unnamed app';
  });
  return check(NAME, 'ok', `WABA ${wabaId} is subscribed to: ${names.join(', ')}.`);
}

import type { WharfConfig } from '../config/load-config.js';
import { check, type DoctorCheck } from './doctor-check.js';
import { graphGet, invalidTokenCheck, isInvalidToken } from './graph-get.js';

const NAME = 'WABA subscription';

/**
 * `GET /{waba}/subscribed_apps` (Meta's docs on endpoint requirements): without a subscribed app Meta delivers no real
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
  const answer = await graphGet(
    config,
    config.accessToken,
    `/${encodeURIComponent(wabaId)}/subscribed_apps`,
    timeoutMs,
  );
  if (answer.kind === 'unreachable')
    return check(
      NAME,
      'fail',
      answer.message,
      'Check network access to graph.facebook.com (or WHATSAPP_GRAPH_URL) and try again.',
    );
  if (isInvalidToken(answer)) return invalidTokenCheck(NAME);
  const { status, body, error } = answer;
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

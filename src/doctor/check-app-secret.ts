import { createHmac } from 'node:crypto';
import type { WharfConfig } from '../config/load-config.js';
import { check, type DoctorCheck } from './doctor-check.js';
import { graphGet, invalidTokenCheck, isInvalidToken, type GraphAnswer } from './graph-get.js';

const TOKEN = 'access token';
const SECRET = 'app secret';

/**
 * Meta signs every webhook POST with the App Secret of the app the webhook belongs to; a wrong secret
 * shows up only as 401s on real traffic. The Graph API can tell before that: a call carrying
 * `appsecret_proof` = HMAC-SHA256(access token, app secret) is refused with error 100 "Invalid
 * appsecret_proof" unless the secret is that of the app that issued the token
 * (https://developers.facebook.com/docs/graph-api/securing-requests/). `GET /app` names that app,
 * and a refusal with error 190 means the token itself is invalid or expired. Needs
 * WHATSAPP_ACCESS_TOKEN; prints neither the token, the secrets nor the proofs.
 */
export async function checkAppSecret(config: WharfConfig, timeoutMs: number): Promise<DoctorCheck[]> {
  const token = config.accessToken;
  if (token === undefined) return [];
  const secrets = config.appSecrets;
  const tries = secrets.length === 0 ? [undefined] : secrets;
  let answer: GraphAnswer | undefined;
  for (const [index, secret] of tries.entries()) {
    const proof =
      secret === undefined
        ? ''
        : `&appsecret_proof=${createHmac('sha256', secret).update(token).digest('hex')}`;
    answer = await graphGet(config, token, `/app?fields=id,name${proof}`, timeoutMs);
    if (answer.kind === 'unreachable')
      return [
        check(
          TOKEN,
          'warn',
          `${answer.message} The access token and the app secret could not be checked.`,
          'Check network access to graph.facebook.com (or WHATSAPP_GRAPH_URL) and run wharf doctor again.',
        ),
      ];
    if (isInvalidToken(answer)) return [invalidTokenCheck(TOKEN)];
    if (isProofRefused(answer)) continue;
    const app = appName(answer);
    if (app === undefined)
      return [
        check(
          TOKEN,
          'warn',
          `The Graph API refused GET /app (HTTP ${answer.status}${answer.error?.message ? `: ${answer.error.message}` : ''}), so the access token and the app secret could not be checked.`,
          'Check that WHATSAPP_ACCESS_TOKEN is a system-user token with whatsapp_business_management.',
        ),
      ];
    const tokenOk = check(TOKEN, 'ok', `The Graph API accepts WHATSAPP_ACCESS_TOKEN, issued by app ${app}.`);
    if (secret === undefined) return [tokenOk];
    const which =
      secrets.length > 1
        ? `Value ${index + 1} of the ${secrets.length} in WHATSAPP_APP_SECRET`
        : 'WHATSAPP_APP_SECRET';
    return [tokenOk, check(SECRET, 'ok', `${which} is the App Secret of app ${app}.`)];
  }
  return [
    check(
      SECRET,
      'fail',
      `${secrets.length > 1 ? `None of the ${secrets.length} values of WHATSAPP_APP_SECRET is` : 'WHATSAPP_APP_SECRET is not'} the App Secret of the app that issued WHATSAPP_ACCESS_TOKEN (the Graph API refused its appsecret_proof). Meta signs webhooks with the App Secret, so with a wrong one every POST gets 401.`,
      'Copy the App Secret from the App Dashboard → Settings → Basic of the app whose webhook points at Wharf. If the access token was issued by another app, use a token of this app.',
    ),
  ];
}

/** Error 100 naming appsecret_proof: the proof, hence the secret, is not the token's app's. */
function isProofRefused(answer: GraphAnswer): boolean {
  return (
    answer.kind === 'answer' &&
    answer.error?.code === 100 &&
    /appsecret_proof/i.test(answer.error.message ?? '')
  );
}

function appName(answer: GraphAnswer): string | undefined {
  if (answer.kind !== 'answer' || answer.status !== 200 || answer.error !== undefined) return undefined;
  const app = answer.body as { id?: unknown; name?: unknown } | undefined;
  if (typeof app?.id !== 'string') return undefined;
  return typeof app.name === 'string' ? `${app.name} (${app.id})` : app.id;
}

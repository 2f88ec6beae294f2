import type { WharfConfig } from '../config/load-config.js';
import { verifyEndpoint } from '../simulator/verify-endpoint.js';
import { check, errorText, type DoctorCheck } from './doctor-check.js';

/** Meta's GET handshake against the public callback URL, with the configured verify token. */
export async function checkEndpoint(
  config: WharfConfig,
  url: string,
  timeoutMs: number,
): Promise<DoctorCheck> {
  const name = 'webhook endpoint';
  if (config.verifyToken === undefined)
    return check(
      name,
      'fail',
      'The handshake cannot be tried: WHATSAPP_VERIFY_TOKEN is not set.',
      "Set WHATSAPP_VERIFY_TOKEN to the token typed in the App Dashboard → WhatsApp → Configuration → Webhook 'Verify token'.",
    );
  try {
    const result = await verifyEndpoint({ url, verifyToken: config.verifyToken, timeoutMs });
    if (!result.ok)
      return check(
        name,
        'fail',
        `${result.endpoint}: ${result.message}`,
        'Fix the endpoint as described; Meta sends no webhooks to an unverified callback URL.',
      );
    if (result.warnings.length > 0)
      return check(name, 'warn', `${result.endpoint}: ${result.message}`, result.warnings.join(' '));
    return check(name, 'ok', `${result.endpoint}: ${result.message}`);
  } catch (err) {
    return check(
      name,
      'fail',
      `The handshake could not be tried: ${errorText(err)}`,
      'Pass a full https:// URL to --url.',
    );
  }
}

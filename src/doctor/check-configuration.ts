import type { WharfConfig } from '../config/load-config.js';
import { check, type DoctorCheck } from './doctor-check.js';

const DEFAULT_ACTIONS: Readonly<Record<string, string>> = {
  WHARF_API_TOKEN: 'Set WHARF_API_TOKEN to a long random string if you use the API (/api/v1).',
};

/**
 * Turns a loaded configuration into checks: one `ok` when nothing is missing, otherwise one check
 * per loadConfig warning (a missing app secret fails: no webhook POST can be accepted) plus a
 * warning for a missing Graph API access token. Reads names and presence only, never values.
 */
export function checkConfiguration(config: WharfConfig): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const warning of config.warnings) {
    const name = /^[A-Z][A-Z0-9_]+/.exec(warning)?.[0] ?? 'configuration';
    const cut = warning.indexOf('. ');
    const message = cut === -1 ? warning : warning.slice(0, cut + 1);
    const action = cut === -1 ? (DEFAULT_ACTIONS[name] ?? `Set ${name}.`) : warning.slice(cut + 2);
    checks.push(check(name, name === 'WHATSAPP_APP_SECRET' ? 'fail' : 'warn', message, action));
  }
  if (config.accessToken === undefined)
    checks.push(
      check(
        'WHATSAPP_ACCESS_TOKEN',
        'warn',
        'WHATSAPP_ACCESS_TOKEN is not set: wharf doctor cannot ask the Graph API whether your WABA is subscribed to the app.',
        'Set it to a system-user access token with the whatsapp_business_management permission, then run wharf doctor --waba-id <id>.',
      ),
    );
  if (checks.length === 0)
    checks.push(
      check(
        'configuration',
        'ok',
        `Settings load and the app secret${config.appSecrets.length > 1 ? 's' : ''}, verify token, API token and access token are set.`,
      ),
    );
  return checks;
}

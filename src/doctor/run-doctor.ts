import { loadConfig, type LoadConfigOptions, type WharfConfig } from '../config/load-config.js';
import { check, errorText, type DoctorCheck, type DoctorReport } from './doctor-check.js';
import { checkConfiguration } from './check-configuration.js';
import { checkStorage } from './check-storage.js';
import { checkEndpoint } from './check-endpoint.js';
import { checkSubscribedApps } from './check-subscribed-apps.js';
import { checkAppSecret } from './check-app-secret.js';

export interface RunDoctorOptions {
  /** Passed to loadConfig (tests give env and envFile: false); the CLI passes nothing. */
  readonly config?: LoadConfigOptions;
  /** Public callback URL to run Meta's GET handshake against. */
  readonly url?: string;
  /** WhatsApp Business Account id whose subscribed_apps to check. */
  readonly wabaId?: string;
  /** Per network check; default 10 s. */
  readonly timeoutMs?: number;
}

/** Runs every applicable setup check in order; never throws for a misconfiguration. */
export async function runDoctor(options: RunDoctorOptions = {}): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks: DoctorCheck[] = [];
  let config: WharfConfig;
  try {
    config = loadConfig(options.config);
  } catch (err) {
    checks.push(
      check(
        'configuration',
        'fail',
        `The settings could not be loaded: ${errorText(err)}`,
        'Fix the named setting in the environment or .env (see docs/operations.md).',
      ),
    );
    return { ok: false, checks };
  }
  checks.push(...checkConfiguration(config));
  checks.push(...(await checkStorage(config)));
  checks.push(...(await checkAppSecret(config, timeoutMs)));
  if (options.url !== undefined) checks.push(await checkEndpoint(config, options.url, timeoutMs));
  if (options.wabaId !== undefined) checks.push(await checkSubscribedApps(config, options.wabaId, timeoutMs));
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

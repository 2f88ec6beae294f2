import { loadConfig } from '../../config/load-config.js';

/**
 * Where a CLI command should point when flags are missing: the local Wharf as configured. Config is
 * read only when needed, through loadConfig (the one reader of the environment).
 */
export interface CliTarget {
  readonly url: string;
  readonly appSecret: string | undefined;
  readonly verifyToken: string | undefined;
  /** Base URL of the local Wharf's API (`--from` default of the API clients). */
  readonly apiBase: string;
  readonly apiToken: string | undefined;
}

export function cliTarget(): CliTarget {
  const config = loadConfig();
  // A server listening on every interface is reached locally through the loopback address.
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${config.port}${config.webhookPath}`,
    appSecret: config.appSecrets[0],
    verifyToken: config.verifyToken,
    apiBase: `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`,
    apiToken: config.apiToken,
  };
}

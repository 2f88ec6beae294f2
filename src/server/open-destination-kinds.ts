/**
 * The real destination kinds (src/adapters/destinations/) behind the DestinationKinds interface the
 * mechanism uses: zod settings per kind, the SSRF check of http/slack URLs, and the transports.
 * Wiring only, like start-destinations.ts: it moves to the composition root (src/server/).
 */
import type { WharfConfig } from '../config/load-config.js';
import { validateKindSettings } from '../core/destinations/validate-kind-settings.js';
import { checkDestinationUrl } from '../core/destinations/check-destination-url.js';
import {
  openDestinationTransport,
  openSmsProvider,
} from '../adapters/destinations/open-destination-transport.js';
import { resolveHost } from '../adapters/destinations/resolve-host.js';
import type { DestinationKinds } from '../app/destination-kinds.js';

/** Kinds whose `url` reaches a receiver over the internet (brokers are the operator's own). */
const WEB_KINDS = new Set(['http', 'slack', 'sms']);

export function openDestinationKinds(config: WharfConfig): DestinationKinds {
  const allowPrivate = config.destinationsAllowPrivate;
  return {
    validateSettings(kind, settings) {
      return validateKindSettings(kind, settings, { allowPrivate })[0] ?? null;
    },
    async checkUrl(kind, settings) {
      // `sms`: the http provider's `url`, or Twilio's `base_url` when it replaces api.twilio.com.
      const url = settings['url'] ?? settings['base_url'];
      if (WEB_KINDS.has(kind) && typeof url === 'string')
        await checkDestinationUrl(url, { allowPrivate, lookup: resolveHost });
    },
    openTransport(destination, secrets) {
      return openDestinationTransport(destination, { secrets, allowPrivate, publicUrl: config.publicUrl });
    },
    openSmsProvider(destination) {
      return openSmsProvider(destination, { secrets: () => [], allowPrivate });
    },
  };
}

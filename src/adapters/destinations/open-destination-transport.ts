/**
 * The one place that turns a stored Destination into the transport of its kind. The composition
 * root (src/server/) calls it with the destination's live secrets and the SSRF setting; nothing
 * connects until the first send.
 */
import type { Destination } from '../../core/destinations/destination.js';
import type { ResolveHost } from '../../core/destinations/check-destination-url.js';
import {
  isTransportKind,
  parseKindSettings,
  type TransportKind,
} from '../../core/destinations/validate-kind-settings.js';
import { WharfError } from '../../errors.js';
import { packageVersion } from '../../util/package-version.js';
import type { DestinationTransport } from '../../ports/destination-transport.js';
import { createEmailTransport } from './email.js';
import { createHttpTransport } from './http.js';
import { createNatsTransport } from './nats.js';
import { createRabbitmqTransport } from './rabbitmq.js';
import { createRedisTransport } from './redis.js';
import { createSlackTransport } from './slack.js';
import { createTwilioProvider } from './sms-twilio.js';
import { createHttpSmsProvider } from './sms-http.js';
import type { SmsProvider } from '../../ports/sms-provider.js';
import { createMysqlTransport } from './mysql.js';
import { createPostgresTransport } from './postgres.js';

export interface DestinationTransportDeps {
  /** The destination's live signing secrets (liveSecrets), read on every send. */
  readonly secrets: () => readonly string[];
  /** WHARF_DESTINATIONS_ALLOW_PRIVATE */
  readonly allowPrivate: boolean;
  /** Default `Wharf/<version of this package>` (src/util/package-version.ts). */
  readonly userAgent?: string;
  /** Injected resolver for tests; the system resolver by default. */
  readonly lookup?: ResolveHost;
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  /** WHARF_PUBLIC_URL: alerts link to the dashboard. */
  readonly publicUrl?: string;
}

export function openDestinationTransport(
  d: Destination,
  deps: DestinationTransportDeps,
): DestinationTransport {
  if (!isTransportKind(d.kind))
    throw new WharfError('DESTINATION_KIND_UNAVAILABLE', `destination ${d.name} is of kind ${d.kind}`);
  return open(d.kind, d, deps);
}

function settingsOf<K extends TransportKind>(kind: K, d: Destination, allowPrivate: boolean) {
  const parsed = parseKindSettings(kind, d.settings, { allowPrivate });
  if (!parsed.ok)
    throw new WharfError(
      'DESTINATION_SETTINGS_INVALID',
      `destination ${d.name}: ${parsed.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
    );
  return parsed.settings;
}

function open(kind: TransportKind, d: Destination, deps: DestinationTransportDeps): DestinationTransport {
  const base = { timeoutMs: d.timeoutMs, maxInFlight: d.maxInFlight };
  const web = {
    allowPrivate: deps.allowPrivate,
    userAgent: deps.userAgent ?? `Wharf/${packageVersion()}`,
    lookup: deps.lookup,
    now: deps.now,
  };
  switch (kind) {
    case 'http': {
      const s = settingsOf('http', d, deps.allowPrivate);
      return createHttpTransport({
        ...base,
        ...web,
        url: s.url,
        headers: s.headers,
        secrets: deps.secrets,
        redirectMeansDelivered: s.redirect_means_delivered === true,
      });
    }
    case 'slack':
      return createSlackTransport({
        ...base,
        ...web,
        url: settingsOf('slack', d, deps.allowPrivate).url,
        ...(deps.publicUrl !== undefined ? { publicUrl: deps.publicUrl } : {}),
      });
    case 'nats': {
      const s = settingsOf('nats', d, deps.allowPrivate);
      return createNatsTransport({ ...base, url: s.url, subject: s.subject });
    }
    case 'rabbitmq': {
      const s = settingsOf('rabbitmq', d, deps.allowPrivate);
      return createRabbitmqTransport({
        ...base,
        url: s.url,
        exchange: s.exchange,
        routingKey: s.routing_key,
      });
    }
    case 'redis': {
      const s = settingsOf('redis', d, deps.allowPrivate);
      return createRedisTransport({ ...base, url: s.url, stream: s.stream, maxLen: s.max_len });
    }
    case 'email': {
      const s = settingsOf('email', d, deps.allowPrivate);
      return createEmailTransport({
        ...base,
        url: s.url,
        to: s.to,
        from: s.from,
        subject: s.subject,
        ...(deps.publicUrl !== undefined ? { publicUrl: deps.publicUrl } : {}),
      });
    }
    case 'mysql': {
      const s = settingsOf('mysql', d, deps.allowPrivate);
      return createMysqlTransport({ ...base, url: s.url, table: s.table });
    }
    case 'postgres': {
      const s = settingsOf('postgres', d, deps.allowPrivate);
      return createPostgresTransport({ ...base, url: s.url, table: s.table });
    }
    case 'sms':
      // An SMS is not a hand-off of the event: the app claims the wamid and calls openSmsProvider's provider.
      throw new WharfError(
        'DESTINATION_KIND_UNAVAILABLE',
        `destination ${d.name} is of kind sms: it is opened as an SMS provider`,
      );
  }
}

/** The SMS provider of an `sms` destination (Twilio's Messages API or a JSON HTTP API). */
export function openSmsProvider(d: Destination, deps: DestinationTransportDeps): SmsProvider {
  const s = settingsOf('sms', d, deps.allowPrivate);
  const common = {
    timeoutMs: d.timeoutMs,
    maxInFlight: d.maxInFlight,
    allowPrivate: deps.allowPrivate,
    userAgent: deps.userAgent ?? `Wharf/${packageVersion()}`,
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
  if (s.provider === 'twilio')
    return createTwilioProvider({
      ...common,
      accountSid: s.account_sid,
      authToken: s.auth_token,
      ...(s.from !== undefined ? { from: s.from } : {}),
      ...(s.messaging_service_sid !== undefined ? { messagingServiceSid: s.messaging_service_sid } : {}),
      ...(s.base_url !== undefined ? { baseUrl: s.base_url } : {}),
    });
  return createHttpSmsProvider({
    ...common,
    url: s.url,
    body: s.body,
    ...(s.headers !== undefined ? { headers: s.headers } : {}),
    ...(s.provider_id_field !== undefined ? { providerIdField: s.provider_id_field } : {}),
  });
}

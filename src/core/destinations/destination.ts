/**
 * A destination as stored and as the API shows it (JSON is snake_case, this is the
 * TypeScript shape). Pure data: validation lives in validate-destination.ts, the store in
 * src/ports/destination-store.ts, transports in src/ports/destination-transport.ts.
 */
export const DESTINATION_KINDS = [
  'http',
  'nats',
  'rabbitmq',
  'redis',
  'slack',
  'email',
  'sms',
  'mysql',
  'postgres',
] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export const DESTINATION_FORMATS = ['event', 'meta', 'conversation'] as const;
export type DestinationFormat = (typeof DESTINATION_FORMATS)[number];

export interface DestinationFilter {
  /** Event names or prefixes ending in `.` (e.g. `message.`); absent: every event but `wharf.*`. */
  readonly events?: readonly string[];
  readonly phoneNumberIds?: readonly string[];
  readonly wabaIds?: readonly string[];
  readonly errorCodes?: readonly number[];
  /** Actions of the error policy, e.g. `fallback`. */
  readonly errorActions?: readonly string[];
}

/**
 * Kind settings, as given: `url`, `headers` (http, slack), `subject` (nats), `exchange` and
 * `routing_key` (rabbitmq), `stream` (redis), `to`/`from` (email), … Each kind validates its own.
 */
export type DestinationSettings = Readonly<Record<string, unknown>>;

/** Everything a person chooses about a destination (the rest is Wharf's bookkeeping). */
export interface DestinationFields {
  readonly name: string;
  readonly kind: DestinationKind;
  readonly enabled: boolean;
  readonly filter: DestinationFilter;
  readonly format: DestinationFormat;
  readonly settings: DestinationSettings;
  readonly timeoutMs: number;
  readonly maxInFlight: number;
  readonly rateLimitPerSecond: number | null;
  readonly ordering: 'none' | 'contact';
  /**
   * Format `conversation`: how long a contact's first message waits for the next ones, so a burst
   * is posted as one conversation (0: each message at once).
   */
  readonly batchWindowMs: number;
  /** JSONata expression applied to the formatted payload, or null. */
  readonly transform: string | null;
}

export interface Destination extends DestinationFields {
  readonly id: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly disabledReason: string | null;
}

/** Signing secrets of a destination: the current one, and the previous one until `previousUntil`. */
export interface DestinationSecrets {
  readonly current: string;
  readonly previous: string | null;
  /** Epoch ms until which `previous` still signs (rotation grace period). */
  readonly previousUntil: number | null;
}

/** The secrets that sign now: current first, then the previous one while its grace period lasts. */
export function liveSecrets(secrets: DestinationSecrets, now: number): string[] {
  const out = [secrets.current];
  if (secrets.previous !== null && secrets.previousUntil !== null && now < secrets.previousUntil)
    out.push(secrets.previous);
  return out;
}

import { readFileSync, existsSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { SETTINGS, type RawConfig, type SettingName } from './schema.js';
import { WharfError } from '../errors.js';
import { storageLocation, type StorageLocation } from './storage-location.js';
import { unknownVariableWarnings } from './unknown-variables.js';

export interface WharfConfig {
  readonly port: number;
  readonly host: string;
  /** The database of DATABASE_URL; only the composition root (src/server/) acts on its kind. */
  readonly storage: StorageLocation;
  readonly appSecrets: readonly string[];
  readonly verifyToken: string | undefined;
  readonly accessToken: string | undefined;
  readonly graphUrl: string;
  /** WHARF_SEND_RATE_PER_NUMBER, WHARF_SEND_QUEUE_PER_NUMBER, WHARF_SEND_TIMEOUT_MS (docs/sending.md). */
  readonly sendRatePerNumber: number;
  readonly sendQueuePerNumber: number;
  readonly sendTimeoutMs: number;
  readonly apiToken: string | undefined;
  readonly webhookPath: string;
  readonly maxBodyBytes: number;
  readonly maxPendingCommits: number;
  readonly maxQueueMs: number;
  readonly answerDeadlineMs: number;
  readonly maxBufferedBytes: number;
  readonly requestTimeoutMs: number;
  readonly maxStreams: number;
  readonly allowedSourceCidrs: readonly string[];
  readonly trustedProxies: readonly string[];
  readonly badSignatureBurst: number;
  readonly badSignaturePerSecond: number;
  readonly dedupeWindowHours: number;
  /** 0: retention off (docs/operations.md#retention). */
  readonly retentionDays: number;
  readonly retryAfterSeconds: number;
  readonly shutdownTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly logLevel: RawConfig['WHARF_LOG_LEVEL'];
  readonly logDeliveries: boolean;
  readonly logDeliveriesPerSecond: number;
  readonly role: RawConfig['WHARF_ROLE'];
  readonly batchSize: number;
  readonly leaseSeconds: number;
  readonly handlerMaxAttempts: number;
  /** Delay before each destination attempt, ms (the first is the first attempt). */
  readonly destinationRetrySchedule: readonly number[];
  readonly destinationDisableAfterHours: number;
  readonly destinationsFile: string | undefined;
  /** http/slack destinations may use http:// and private addresses (WHARF_DESTINATIONS_ALLOW_PRIVATE). */
  readonly destinationsAllowPrivate: boolean;
  /** WHARF_PUBLIC_URL: alerts link to the dashboard under it. */
  readonly publicUrl: string | undefined;
  /** Startup warnings (missing secrets and where Meta shows them, unknown WHARF_/WHATSAPP_ variables). */
  readonly warnings: readonly string[];
}

export interface LoadConfigOptions {
  /** Environment to read; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `.env` file to read (values already in env win); defaults to ./.env, `false` disables it. */
  readonly envFile?: string | false;
  /** Values that win over env and file (CLI flags, library callers). */
  readonly overrides?: Partial<Record<SettingName, string | number | undefined>>;
}

/**
 * The only reader of process.env: environment + `.env`, validated, frozen. Throws CONFIG_INVALID
 * naming the setting, or DATABASE_URL_INVALID for a database URL that names no database Wharf can open.
 */
export function loadConfig(options: LoadConfigOptions = {}): WharfConfig {
  const env = options.env ?? process.env;
  const fileVars = readEnvFile(options.envFile === undefined ? '.env' : options.envFile);
  const source: Record<string, unknown> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const override = options.overrides?.[name];
    source[name] = override !== undefined ? String(override) : (env[name] ?? fileVars[name]);
  }
  const raw = {} as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const result = SETTINGS[name].schema.safeParse(source[name]);
    if (result.success) raw[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new WharfError('CONFIG_INVALID', problems.join(' | '));
  const typos = unknownVariableWarnings(
    [...Object.keys(env).filter((name) => env[name] !== undefined), ...Object.keys(fileVars)],
    Object.keys(SETTINGS),
  );
  return toConfig(raw as RawConfig, typos);
}

function readEnvFile(path: string | false): Record<string, string> {
  if (path === false || !existsSync(path)) return {};
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new WharfError('CONFIG_INVALID', `${path} could not be read`, { cause: err });
  }
}

function toConfig(r: RawConfig, unknownVariables: readonly string[]): WharfConfig {
  const warnings: string[] = [...unknownVariables];
  if (r.WHATSAPP_APP_SECRET.length === 0)
    warnings.push(
      'WHATSAPP_APP_SECRET is not set: every webhook POST will be refused with 401. ' +
        "Find the App Secret in Meta's App Dashboard → Settings → Basic.",
    );
  if (!r.WHATSAPP_VERIFY_TOKEN)
    warnings.push(
      'WHATSAPP_VERIFY_TOKEN is not set: the GET subscription handshake will be refused. ' +
        "Choose a token and enter the same one in the App Dashboard → WhatsApp → Configuration → Webhook 'Verify token'.",
    );
  if (r.WHARF_MAX_BUFFERED_BYTES < r.WHARF_MAX_BODY_BYTES)
    warnings.push(
      `WHARF_MAX_BUFFERED_BYTES (${r.WHARF_MAX_BUFFERED_BYTES}) is below WHARF_MAX_BODY_BYTES (${r.WHARF_MAX_BODY_BYTES}): ` +
        'bodies larger than the buffer budget will always get 503.',
    );
  if (!r.WHARF_API_TOKEN) warnings.push('WHARF_API_TOKEN is not set: /api/v1 answers 401.');
  return Object.freeze({
    port: r.PORT,
    host: r.HOST,
    storage: Object.freeze(storageLocation(r.DATABASE_URL)),
    appSecrets: Object.freeze([...r.WHATSAPP_APP_SECRET]),
    verifyToken: r.WHATSAPP_VERIFY_TOKEN,
    accessToken: r.WHATSAPP_ACCESS_TOKEN,
    graphUrl: r.WHATSAPP_GRAPH_URL.replace(/\/+$/, ''),
    sendRatePerNumber: r.WHARF_SEND_RATE_PER_NUMBER,
    sendQueuePerNumber: r.WHARF_SEND_QUEUE_PER_NUMBER,
    sendTimeoutMs: r.WHARF_SEND_TIMEOUT_MS,
    apiToken: r.WHARF_API_TOKEN,
    webhookPath: r.WHARF_WEBHOOK_PATH,
    maxBodyBytes: r.WHARF_MAX_BODY_BYTES,
    maxPendingCommits: r.WHARF_MAX_PENDING_COMMITS,
    maxQueueMs: r.WHARF_MAX_QUEUE_MS,
    answerDeadlineMs: r.WHARF_ANSWER_DEADLINE_MS,
    maxBufferedBytes: r.WHARF_MAX_BUFFERED_BYTES,
    requestTimeoutMs: r.WHARF_REQUEST_TIMEOUT_MS,
    maxStreams: r.WHARF_MAX_STREAMS,
    allowedSourceCidrs: Object.freeze([...r.WHARF_ALLOWED_SOURCE_CIDRS]),
    trustedProxies: Object.freeze([...r.WHARF_TRUSTED_PROXIES]),
    badSignatureBurst: r.WHARF_BAD_SIGNATURE_BURST,
    badSignaturePerSecond: r.WHARF_BAD_SIGNATURE_PER_SECOND,
    dedupeWindowHours: r.WHARF_DEDUPE_WINDOW_HOURS,
    retentionDays: r.WHARF_RETENTION_DAYS,
    retryAfterSeconds: r.WHARF_RETRY_AFTER_SECONDS,
    shutdownTimeoutMs: r.WHARF_SHUTDOWN_TIMEOUT_MS,
    shutdownGraceMs: r.WHARF_SHUTDOWN_GRACE_MS,
    logLevel: r.WHARF_LOG_LEVEL,
    logDeliveries: r.WHARF_LOG_DELIVERIES,
    logDeliveriesPerSecond: r.WHARF_LOG_DELIVERIES_PER_SECOND,
    role: r.WHARF_ROLE,
    batchSize: r.WHARF_BATCH_SIZE,
    leaseSeconds: r.WHARF_LEASE_SECONDS,
    handlerMaxAttempts: r.WHARF_HANDLER_MAX_ATTEMPTS,
    destinationRetrySchedule: Object.freeze([...r.WHARF_DESTINATION_RETRY_SCHEDULE]),
    destinationDisableAfterHours: r.WHARF_DESTINATION_DISABLE_AFTER_HOURS,
    destinationsFile: r.WHARF_DESTINATIONS_FILE,
    destinationsAllowPrivate: r.WHARF_DESTINATIONS_ALLOW_PRIVATE,
    publicUrl: r.WHARF_PUBLIC_URL,
    warnings: Object.freeze(warnings),
  });
}

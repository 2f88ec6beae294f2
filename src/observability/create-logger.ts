import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Human-readable lines instead of JSON (default: when stdout is a terminal). */
  readonly pretty?: boolean;
}

/**
 * JSON logs on stdout, times in ISO-8601 (readable in any log viewer, sortable as text), or pretty
 * lines when a person is watching a terminal. Known secret-bearing keys are redacted wherever they
 * appear; the code also never passes secrets or bodies to the logger: secrets never appear in logs.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
  options: LoggerOptions = {},
): Logger {
  const human = options.pretty ?? (destination === undefined && process.stdout.isTTY === true);
  return pino(
    {
      level,
      base: { service: 'wharf' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'appSecrets',
          'appSecret',
          'secret',
          'verifyToken',
          'accessToken',
          'apiToken',
          '*.appSecrets',
          '*.verifyToken',
          '*.accessToken',
          '*.apiToken',
          'headers.authorization',
          'headers["x-hub-signature-256"]',
        ],
        censor: '[redacted]',
      },
    },
    human
      ? pretty({
          destination: destination ?? 1,
          colorize: destination === undefined,
          ignore: 'pid,hostname,service',
          sync: true,
        })
      : (destination ?? pino.destination({ sync: false })),
  );
}

import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Known secret-bearing keys are redacted wherever they appear; the code also
 * never passes secrets or bodies to the logger: secrets never appear in logs.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wharf' },
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
    destination ?? pino.destination({ sync: false }),
  );
}

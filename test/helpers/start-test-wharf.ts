import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type WharfConfig } from '../../src/config/load-config.js';
import { createWharf, type Wharf } from '../../src/server/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { SettingName } from '../../src/config/schema.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-app-secret';
export const TEST_VERIFY_TOKEN = 'test-verify-token';
export const TEST_API_TOKEN = 'test-api-token';

export interface TestWharf {
  readonly wharf: Wharf;
  readonly config: WharfConfig;
  readonly baseUrl: string;
  readonly dbPath: string;
  /** Log lines written so far (JSON strings). */
  readonly logs: string[];
  stop(): Promise<void>;
}

/** Settings of a test Wharf on 127.0.0.1:<random port>, SQLite at `dbPath`, the test secrets. */
export function testConfig(
  dbPath: string,
  overrides: Partial<Record<SettingName, string | number>> = {},
): WharfConfig {
  return loadConfig({
    env: {},
    envFile: false,
    overrides: {
      PORT: 0,
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${dbPath}`,
      WHATSAPP_APP_SECRET: TEST_SECRET,
      WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      WHARF_API_TOKEN: TEST_API_TOKEN,
      ...overrides,
    },
  });
}

/** A log destination that keeps each JSON line written to it. */
export function logCollector(): { logs: string[]; sink: Writable } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { logs, sink };
}

/** Starts an in-process Wharf on 127.0.0.1:<random port> with its own SQLite file. */
export async function startTestWharf(
  overrides: Partial<Record<SettingName, string | number>> = {},
  options: { busyTimeoutMs?: number } = {},
): Promise<TestWharf> {
  const dir = tempDir();
  const dbPath = join(dir.path, 'wharf.db');
  // A short shutdown grace keeps each test's stop() quick (sigterm-no-resets.test.ts runs the default).
  const config = testConfig(dbPath, { WHARF_LOG_LEVEL: 'debug', WHARF_SHUTDOWN_GRACE_MS: 50, ...overrides });
  const { logs, sink } = logCollector();
  const wharf = createWharf(config, {
    logger: createLogger(config.logLevel, sink),
    // In-process under the test runner: signals are the runner's, not this Wharf's.
    handleSignals: false,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  const addr = await wharf.listen();
  return {
    wharf,
    config,
    baseUrl: `http://127.0.0.1:${addr.port}`,
    dbPath,
    logs,
    async stop() {
      await wharf.close();
      dir.cleanup();
    },
  };
}

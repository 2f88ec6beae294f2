/**
 * A test Wharf with destinations (the real kinds, loopback allowed), a short poll
 * and a millisecond retry schedule, plus small API helpers. `clock` replaces Date.now when given.
 */
import { join } from 'node:path';
import { createWharf, type Wharf } from '../../src/server/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { SettingName } from '../../src/config/schema.js';
import { tempDir } from './temp-dir.js';
import { logCollector, testConfig, TEST_API_TOKEN, TEST_SECRET } from './start-test-wharf.js';
import { openDestinationKinds } from '../../src/server/open-destination-kinds.js';
import { httpRequest, postSigned, type HttpAnswer } from './post-signed.js';

export interface DestinationWharf {
  readonly wharf: Wharf;
  readonly baseUrl: string;
  readonly dbPath: string;
  readonly logs: string[];
  api(method: string, path: string, body?: unknown): Promise<HttpAnswer & { json: Record<string, unknown> }>;
  /** POSTs a signed webhook delivery (JSON text, e.g. from webhook-bodies.ts). */
  deliver(body: string): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface DestinationWharfOptions {
  /** Replaces Date.now (a test moves it by hand). */
  readonly clock?: () => number;
  /** Registers handlers before listen() (they get a millisecond retry schedule). */
  readonly register?: (w: Wharf) => void;
}

export async function startDestinationWharf(
  overrides: Partial<Record<SettingName, string | number>> = {},
  options: DestinationWharfOptions = {},
): Promise<DestinationWharf> {
  const dir = tempDir();
  const dbPath = join(dir.path, 'wharf.db');
  const config = testConfig(dbPath, {
    WHARF_LOG_LEVEL: 'info',
    WHARF_DESTINATION_RETRY_SCHEDULE: '0,5ms,5ms',
    // The receivers of these tests listen on loopback.
    WHARF_DESTINATIONS_ALLOW_PRIVATE: 'true',
    ...overrides,
  });
  const { logs, sink } = logCollector();
  const wharf = createWharf(config, {
    logger: createLogger(config.logLevel, sink),
    destinations: { kinds: openDestinationKinds(config), pollMs: 20 },
    handleSignals: false,
    handlers: { retry: { baseMs: 2, factor: 2, capMs: 10 }, pollMs: 20, random: () => 0.5 },
    ...(options.clock ? { now: options.clock } : {}),
  });
  options.register?.(wharf);
  const { port } = await wharf.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    wharf,
    baseUrl,
    dbPath,
    logs,
    async api(method, path, body) {
      const a = await httpRequest(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(a.body) as Record<string, unknown>;
      } catch {
        // 204 and text answers
      }
      return { ...a, json };
    },
    deliver: (body) => postSigned(`${baseUrl}/webhooks/whatsapp`, body, TEST_SECRET),
    async stop() {
      await wharf.close();
      dir.cleanup();
    },
  };
}

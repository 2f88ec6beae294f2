import { join } from 'node:path';
import { createWharf, type Wharf } from '../../src/server/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { SettingName } from '../../src/config/schema.js';
import { tempDir } from './temp-dir.js';
import { logCollector, testConfig } from './start-test-wharf.js';

export interface HandlerWharf {
  readonly wharf: Wharf;
  readonly baseUrl: string;
  readonly dbPath: string;
  readonly logs: string[];
  /** Starts again on the same database (a restart); `register` runs before listen(). */
  restart(register: (w: Wharf) => void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A test Wharf whose handlers are registered before listen() (they must be), with a fast retry
 * schedule and a short poll so retries and replays happen within milliseconds.
 */
export async function startHandlerWharf(
  register: (w: Wharf) => void,
  overrides: Partial<Record<SettingName, string | number>> = {},
): Promise<HandlerWharf> {
  const dir = tempDir();
  const dbPath = join(dir.path, 'wharf.db');
  const config = testConfig(dbPath, {
    WHARF_LOG_LEVEL: 'info',
    WHARF_HANDLER_MAX_ATTEMPTS: 3,
    ...overrides,
  });
  const { logs, sink } = logCollector();
  const make = () =>
    createWharf(config, {
      logger: createLogger(config.logLevel, sink),
      // In-process under the test runner: signals are the runner's, not this Wharf's.
      handleSignals: false,
      handlers: { retry: { baseMs: 2, factor: 2, capMs: 10 }, pollMs: 20, random: () => 0.5 },
    });
  let wharf = make();
  register(wharf);
  let port = (await wharf.listen()).port;
  const self: HandlerWharf = {
    get wharf() {
      return wharf;
    },
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    dbPath,
    logs,
    async restart(again) {
      await wharf.close();
      wharf = make();
      again(wharf);
      port = (await wharf.listen()).port;
    },
    async stop() {
      await wharf.close();
      dir.cleanup();
    },
  };
  return self;
}

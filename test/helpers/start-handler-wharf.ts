import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { createWharf, type Wharf } from '../../src/app/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { SettingName } from '../../src/config/schema.js';
import { tempDir } from './temp-dir.js';
import { TEST_API_TOKEN, TEST_SECRET, TEST_VERIFY_TOKEN } from './start-test-wharf.js';

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
  const config = loadConfig({
    env: {},
    envFile: false,
    overrides: {
      PORT: 0,
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${dbPath}`,
      WHATSAPP_APP_SECRET: TEST_SECRET,
      WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      WHARF_API_TOKEN: TEST_API_TOKEN,
      WHARF_LOG_LEVEL: 'info',
      WHARF_HANDLER_MAX_ATTEMPTS: 3,
      ...overrides,
    },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const make = () =>
    createWharf(config, {
      logger: createLogger(config.logLevel, sink),
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

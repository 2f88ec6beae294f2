import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';

/** Where the test services listen (.ci/run starts them; the same defaults as a developer machine). */
export const SERVICE_URLS = {
  nats: process.env.WHARF_TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
  rabbitmq: process.env.WHARF_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redis: process.env.WHARF_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** MariaDB or MySQL: a user that may create databases (test/helpers/mysql-test-db.ts makes one per file). */
  mysql: process.env.WHARF_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
} as const;

/**
 * Registers a describe() block that needs a real service (NATS, RabbitMQ, Redis). When the
 * service does not answer, the block is skipped with a loud warning (`problem` from serviceProblem) — unless
 * WHARF_REQUIRE_SERVICES=1 (CI), where a failing test says which service is missing, so a suite
 * that did not run can never pass CI (like WHARF_REQUIRE_POSTGRES for PostgreSQL).
 */
export function serviceSuite(name: string, problem: string | undefined, body: () => void): void {
  if (problem === undefined) {
    describe(name, body);
    return;
  }
  const why = `${problem}; start it, or point WHARF_TEST_NATS_URL, WHARF_TEST_AMQP_URL, WHARF_TEST_REDIS_URL or WHARF_TEST_MYSQL_URL at it`;
  if (process.env.WHARF_REQUIRE_SERVICES === '1') {
    test(`${name} — the service is required here (WHARF_REQUIRE_SERVICES=1)`, () => assert.fail(why));
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${why}\n`);
  describe(name, { skip: why }, () => undefined);
}

/**
 * Why the service at `url` cannot be reached, or undefined when it answers. Probe every service
 * before registering any suite: a probe still connecting while tests run would be counted as one
 * of their connections.
 */
export async function serviceProblem(url: string): Promise<string | undefined> {
  const u = new URL(url);
  const port = Number(
    u.port || { 'nats:': 4222, 'amqp:': 5672, 'redis:': 6379, 'mysql:': 3306 }[u.protocol] || 0,
  );
  const where = `${u.protocol}//${u.hostname}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`${where} did not answer`);
    });
    socket.once('error', (err) => resolve(`${where} is unreachable (${err.message})`));
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestWharf, type TestWharf } from '../helpers/start-test-wharf.js';

/**
 * Node listens with a backlog of 511; 10,000 connections opening at once overflowed it into
 * SYN-cookie retries that took seconds (bench:overload). Wharf asks for 4,096, which the kernel
 * caps at net.core.somaxconn. For a listening socket `ss` prints the backlog as its Send-Q.
 */
describe('the webhook port listens with a deep accept queue', () => {
  let w: TestWharf;
  before(async () => {
    w = await startTestWharf();
  });
  after(() => w.stop());

  test('its backlog is 4,096, or the kernel’s cap (net.core.somaxconn) when that is lower', () => {
    const port = new URL(w.baseUrl).port;
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
    const [state, , sendQ] = line.split(/\s+/);
    assert.equal(state, 'LISTEN', line);
    assert.equal(Number(sendQ), Math.min(4096, somaxconn), line);
  });
});

import { after, before, describe, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createWharf, type Wharf } from '../../src/server/create-wharf.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { main } from '../../src/cli/main.js';
import { runListen, type ListenFlags } from '../../src/cli/commands/listen.js';
import { newSecret } from '../../src/cli/listen/forward-event.js';
import { logCollector, TEST_API_TOKEN, TEST_SECRET, testConfig } from '../helpers/start-test-wharf.js';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { startSignedReceiver, type SignedReceiver } from '../helpers/signed-receiver.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { freePort } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';
import { statusDelivery, textDelivery } from '../helpers/webhook-bodies.js';

const WEBHOOK = '/webhooks/whatsapp';
const T = 1_767_225_600; // 2026-01-01T00:00:00Z

/** A Wharf on a fixed port and SQLite file, so the test can stop it and start it again. */
function wharfAt(dbPath: string, port: number): Wharf {
  const config = testConfig(dbPath, { PORT: port });
  return createWharf(config, { logger: createLogger('warn', logCollector().sink) });
}

/** `wharf listen` in this process, stopped by the returned abort(). */
function listen(flags: ListenFlags) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const done = runListen(flags, { signal: stop.signal, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { out, err, done, stop: () => stop.abort() };
}

describe('wharf listen --forward-to', () => {
  const dir = tempDir();
  const dbPath = join(dir.path, 'wharf.db');
  const secret = newSecret();
  let port: number;
  let base: string;
  let wharf: Wharf;
  let receiver: SignedReceiver;
  before(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    wharf = wharfAt(dbPath, port);
    await wharf.listen();
    receiver = await startSignedReceiver(secret);
  });
  after(async () => {
    await wharf.close();
    await receiver.close();
    dir.cleanup();
  });

  const eventCount = async () =>
    (JSON.parse((await apiGet(base, '/api/v1/events?limit=200', TEST_API_TOKEN)).body) as { data: unknown[] })
      .data.length;

  test('forwards each event signed the Standard Webhooks way (webhook-id = event id), one readable line per event', async () => {
    const l = listen({ forwardTo: receiver.url, from: base, apiToken: TEST_API_TOKEN, secret });
    await waitFor('ready', () => l.out.some((s) => s.startsWith('Ready!')));
    assert.equal(
      (await postSigned(base + WEBHOOK, textDelivery('wamid.L1', T, 'Hola, ¿tienen stock?'), TEST_SECRET))
        .status,
      200,
    );
    assert.equal(
      (
        await postSigned(
          base + WEBHOOK,
          statusDelivery({ wamid: 'wamid.S1', status: 'failed', ts: T + 5, errorCode: 131047 }),
          TEST_SECRET,
        )
      ).status,
      200,
    );
    await waitFor('two forwarded events', () => receiver.received.length === 2, 10_000);
    l.stop();
    assert.equal(await l.done, 0);

    const [text, status] = receiver.received;
    assert.ok(text && status);
    assert.ok(text.verified && status.verified, 'the standardwebhooks package accepts both signatures');
    assert.throws(
      () => new Webhook(newSecret()).verify(text.body, text.headers),
      'another secret does not verify',
    );
    const event = JSON.parse(text.body) as { id: string; name: string; wamid: string };
    assert.equal(event.name, 'message.text');
    assert.equal(event.wamid, 'wamid.L1');
    assert.equal(text.id, event.id, 'webhook-id is the event id');
    assert.match(text.headers['webhook-timestamp'] ?? '', /^\d{10}$/);
    assert.match(text.headers['user-agent'] ?? '', /^Wharf\//);

    const lines = l.out.filter((s) => s.includes('-->'));
    assert.equal(lines.length, 2);
    assert.match(
      lines[0] ?? '',
      /^00:00:00 {2}message\.text +\+447700900123 +Hola, ¿tienen stock\? +--> \[200\] \d+ ms$/,
    );
    assert.match(
      lines[1] ?? '',
      /^00:00:05 {2}status\.failed +\+447700900123 +failed: 131047 Err +--> \[200\] \d+ ms$/,
    );
    assert.match(l.out.join('\n'), /Signing with the secret given by --secret/);
  });

  test('--events forwards only the names and prefixes asked for; a receiver that is down is shown on the line', async () => {
    const before = receiver.received.length;
    const down = `http://127.0.0.1:${await freePort()}/hook`;
    const l = listen({ forwardTo: down, from: base, apiToken: TEST_API_TOKEN, events: 'status.' });
    const l2 = listen({
      forwardTo: receiver.url,
      from: base,
      apiToken: TEST_API_TOKEN,
      secret,
      events: 'status.*',
    });
    await waitFor(
      'ready',
      () => l.out.some((s) => s.startsWith('Ready!')) && l2.out.some((s) => s.startsWith('Ready!')),
    );
    await postSigned(base + WEBHOOK, textDelivery('wamid.L2', T + 10, 'not a status'), TEST_SECRET);
    await postSigned(
      base + WEBHOOK,
      statusDelivery({ wamid: 'wamid.S2', status: 'delivered', ts: T + 11 }),
      TEST_SECRET,
    );
    await waitFor(
      'the status forwarded',
      () => receiver.received.length === before + 1 && l.out.some((s) => s.includes('-->')),
      10_000,
    );
    // The text message committed before the status: had the filter let it through, it would be here.
    l.stop();
    l2.stop();
    await Promise.all([l.done, l2.done]);
    assert.equal(
      (JSON.parse(receiver.received.at(-1)?.body ?? '{}') as { name: string }).name,
      'status.delivered',
    );
    assert.match(
      l.out.find((s) => s.includes('-->')) ?? '',
      /status\.delivered .*--> \[error\] nothing is listening at http:\/\/127\.0\.0\.1:\d+\/hook/,
    );
    assert.ok(!l2.out.some((s) => s.includes('message.text')));
    assert.equal(receiver.received.length, before + 1, 'the text message was not forwarded');
    assert.match(l.out.join('\n'), /Your signing secret is whsec_[A-Za-z0-9+/]{32}/);
  });

  test('resumes after a Wharf restart with Last-Event-ID: events committed while it was away arrive once, none twice', async () => {
    const proxy = await startTcpProxy('127.0.0.1', port);
    const first = receiver.received.length;
    const l = listen({
      forwardTo: receiver.url,
      from: `http://127.0.0.1:${proxy.port}`,
      apiToken: TEST_API_TOKEN,
      secret,
    });
    try {
      await waitFor('ready', () => l.out.some((s) => s.startsWith('Ready!')));
      await postSigned(base + WEBHOOK, textDelivery('wamid.R1', T + 20, 'before the restart'), TEST_SECRET);
      await waitFor('R1 forwarded', () => receiver.received.length === first + 1, 10_000);

      // The listener cannot reach Wharf while Wharf restarts and takes new deliveries: those events
      // are committed before it reconnects, so only Last-Event-ID can bring them.
      await proxy.cut();
      await wharf.close();
      wharf = wharfAt(dbPath, port);
      await wharf.listen();
      const events = await eventCount();
      await postSigned(base + WEBHOOK, textDelivery('wamid.R2', T + 21, 'while away 1'), TEST_SECRET);
      await postSigned(base + WEBHOOK, textDelivery('wamid.R3', T + 22, 'while away 2'), TEST_SECRET);
      await waitFor('R2 and R3 committed', async () => (await eventCount()) === events + 2, 10_000);
      await proxy.restore();
      await waitFor('R2 and R3 forwarded', () => receiver.received.length === first + 3, 15_000);
      await postSigned(base + WEBHOOK, textDelivery('wamid.R4', T + 23, 'after'), TEST_SECRET);
      await waitFor('R4 forwarded', () => receiver.received.length === first + 4, 10_000);
    } finally {
      l.stop();
      await l.done;
      await proxy.close();
    }
    const got = receiver.received.slice(first).map((r) => (JSON.parse(r.body) as { wamid: string }).wamid);
    assert.deepEqual(got, ['wamid.R1', 'wamid.R2', 'wamid.R3', 'wamid.R4']);
    assert.ok(receiver.received.slice(first).every((r) => r.verified));
    assert.match(l.err.join('\n'), /reconnecting/);
    assert.match(l.err.join('\n'), /resuming after event \d+/);
  });

  test('--after starts from an event id: events committed before the listener started are forwarded, in order', async () => {
    const page = JSON.parse((await apiGet(base, '/api/v1/events?limit=3', TEST_API_TOKEN)).body) as {
      data: { id: string }[];
    };
    const [newest, second, third] = page.data.map((e) => e.id);
    assert.ok(newest && second && third, 'the earlier tests left events behind');
    const first = receiver.received.length;
    const l = listen({ forwardTo: receiver.url, from: base, apiToken: TEST_API_TOKEN, secret, after: third });
    await waitFor('two earlier events forwarded', () => receiver.received.length === first + 2, 10_000);
    l.stop();
    assert.equal(await l.done, 0);
    assert.deepEqual(
      receiver.received.slice(first).map((r) => r.id),
      [second, newest],
    );
  });

  test('a wrong token, Wharf not running and a bad URL each stop with a clear message', async () => {
    const err: string[] = [];
    mock.method(process.stderr, 'write', (s: string) => void err.push(s));
    try {
      const run = (...args: string[]) => main(['node', 'wharf', 'listen', ...args]);
      assert.equal(await run('--forward-to', receiver.url, '--from', base, '--api-token', 'wrong'), 1);
      assert.match(err.join(''), /answered 401 .*the API token was refused/);
      const nobody = `http://127.0.0.1:${await freePort()}`;
      assert.equal(await run('--forward-to', receiver.url, '--from', nobody, '--api-token', 'x'), 1);
      assert.match(err.join(''), new RegExp(`nothing is listening at ${nobody}: is Wharf running\\?`));
      assert.equal(await run('--forward-to', 'localhost:3000/hook', '--from', base), 2);
      assert.match(
        err.join(''),
        /--forward-to must be an http:\/\/ or https:\/\/ URL \(got "localhost:3000\/hook"\)/,
      );
      assert.equal(await run('--forward-to', receiver.url, '--from', base, '--events', 'mesage.text'), 2);
      assert.match(
        err.join(''),
        /--events: Unknown event name or prefix: unknown event name "mesage\.text"; did you mean "message\.text"\?/,
      );
      assert.equal(await run('--forward-to', receiver.url, '--from', base, '--secret', 'hunter2'), 2);
      assert.match(err.join(''), /--secret must be whsec_/);
    } finally {
      mock.restoreAll();
      process.exitCode = undefined;
    }
  });
});

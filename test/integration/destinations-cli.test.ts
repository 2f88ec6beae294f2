import { after, afterEach, before, beforeEach, describe, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { startDestinationWharf, type DestinationWharf } from '../helpers/start-destination-wharf.js';
import { textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';
import { startSignedReceiver, type SignedReceiver } from '../helpers/signed-receiver.js';
import { freePort } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * The CLI against a real Wharf with destinations (the real kinds, loopback receivers allowed): it
 * only speaks HTTP, and this test only looks through HTTP too.
 */
const TOKEN = 'cli-test-token';

type Json = Record<string, unknown>;

describe('wharf destinations', () => {
  const dir = tempDir();
  let target: DestinationWharf & { base: string; close(): Promise<void> };
  let receiver: SignedReceiver;
  let out: string[];
  let err: string[];
  before(async () => {
    const w = await startDestinationWharf({ WHARF_API_TOKEN: TOKEN });
    target = Object.assign(w, { base: w.baseUrl, close: () => w.stop() });
    receiver = await startSignedReceiver(`whsec_${Buffer.alloc(24, 1).toString('base64')}`);
  });
  after(async () => {
    await target.close();
    await receiver.close();
    dir.cleanup();
  });
  /** The destinations as the API lists them. */
  const listed = async (): Promise<Json[]> => {
    const res = await fetch(`${target.base}/api/v1/destinations`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return ((await res.json()) as { data: Json[] }).data;
  };
  beforeEach(() => {
    out = [];
    err = [];
  });
  afterEach(async () => {
    process.exitCode = undefined;
    for (const d of await listed())
      await fetch(`${target.base}/api/v1/destinations/${String(d['id'])}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
  });
  /** `wharf …` with what it prints captured. */
  const wharf = async (...argv: string[]) => {
    mock.method(console, 'log', (s: string) => void out.push(`${s}\n`));
    mock.method(console, 'error', (s: string) => void err.push(`${s}\n`));
    try {
      return await main(['node', 'wharf', ...argv]);
    } finally {
      mock.restoreAll();
    }
  };
  const run = (...args: string[]) =>
    wharf('destinations', ...args, '--from', target.base, '--api-token', TOKEN);
  const create = (name: string, ...more: string[]) =>
    run('create', '--name', name, '--kind', 'http', '--url', receiver.url, ...more);

  test('create from flags sends the snake_case fields, shows the destination and its secret once; list shows it as a table and as JSON', async () => {
    const code = await create(
      'crm',
      ...['--events', 'message.,status.failed', '--phone-number-ids', '111,222', '--error-codes', '131047'],
      ...['--header', 'X-Team: sales', '--ordering', 'contact', '--max-in-flight', '4', '--rate-limit', '50'],
    );
    assert.equal(code, 0, err.join(''));
    const [stored] = await listed();
    assert.ok(stored);
    assert.deepEqual(
      Object.fromEntries(
        [
          'name',
          'kind',
          'url',
          'headers',
          'filter',
          'ordering',
          'max_in_flight',
          'rate_limit_per_second',
          'enabled',
        ].map((k) => [k, stored[k]]),
      ),
      {
        name: 'crm',
        kind: 'http',
        url: receiver.url,
        headers: { 'X-Team': 'sales' },
        filter: {
          events: ['message.', 'status.failed'],
          phone_number_ids: ['111', '222'],
          error_codes: [131047],
        },
        ordering: 'contact',
        max_in_flight: 4,
        rate_limit_per_second: 50,
        enabled: true,
      },
    );
    const shown = out.join('');
    assert.match(shown, /Created destination "crm"/);
    assert.match(shown, /events +message\.,status\.failed/);
    assert.match(shown, /Signing secret: whsec_[A-Za-z0-9+/=]{32,}\n.*shown only now/);

    out = [];
    assert.equal(await run('list'), 0);
    const lines = out.join('').trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID +NAME +KIND +FORMAT +STATE +EVENTS +TARGET$/);
    assert.match(
      lines[1] ?? '',
      new RegExp(`crm +http +event +enabled +message\\.,status\\.failed +${receiver.url}$`),
    );
    assert.doesNotMatch(out.join(''), /whsec_/, 'list never shows a secret');

    out = [];
    assert.equal(await run('list', '--json'), 0);
    assert.deepEqual(
      (JSON.parse(out.join('')) as { name: string }[]).map((d) => d.name),
      ['crm'],
    );
  });

  test("Wharf's 422 and 409 are shown with the field named (exit 1); flags the CLI can check exit 2", async () => {
    assert.equal(await run('create', '--name', 'x', '--kind', 'http', '--url', 'ftp://example.com'), 1);
    assert.match(err.join(''), /Wharf refused "x" \(422\): .*\burl\b.* must be/);
    assert.equal(await create('crm'), 0);
    assert.equal(await create('crm'), 1);
    assert.match(err.join(''), /Wharf refused "crm" \(409\): a destination named "crm" exists already/);
    err = [];
    for (const [args, reason] of [
      [['--name', 'y', '--kind', 'pigeon'], /--kind must be one of http, nats/],
      [
        ['--name', 'y', '--kind', 'http', '--events', 'mesage.text'],
        /unknown event name "mesage\.text"; did you mean "message\.text"\?/,
      ],
      [['--name', 'y', '--kind', 'http', '--header', 'no colon'], /--header must be "Name: value"/],
      [['--kind', 'http'], /--name is required/],
      [
        ['--name', 'y', '--kind', 'http', '--max-in-flight', '0'],
        /--max-in-flight must be a whole number ≥ 1/,
      ],
    ] as const) {
      assert.equal(await run('create', ...args), 2, args.join(' '));
      assert.match(err.join(''), reason);
    }
    assert.deepEqual(
      (await listed()).map((d) => d['name']),
      ['crm'],
      'nothing was created by a refused request',
    );
  });

  test('create --file takes an array or {"destinations": [...]}; a file that is not JSON is a usage error', async () => {
    const file = join(dir.path, 'destinations.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'hook', kind: 'http', url: receiver.url, format: 'meta' },
        { name: 'crm', kind: 'http', url: receiver.url, filter: { events: ['status.failed'] } },
      ]),
    );
    assert.equal(await run('create', '--file', file), 0, err.join(''));
    assert.deepEqual(
      (await listed()).map((d) => [d['name'], d['format'], (d['filter'] as Json)['events'] ?? 'all']).sort(),
      [
        ['crm', 'event', ['status.failed']],
        ['hook', 'meta', 'all'],
      ],
    );
    writeFileSync(
      file,
      JSON.stringify({ destinations: [{ name: 'wrapped', kind: 'http', url: receiver.url }] }),
    );
    assert.equal(await run('create', '--file', file), 0, err.join(''));
    assert.ok((await listed()).some((d) => d['name'] === 'wrapped'));
    writeFileSync(file, '{ name: bus }');
    assert.equal(await run('create', '--file', file), 2);
    assert.match(err.join(''), /destinations\.json is not JSON/);
  });

  test("test sends a signed sample now and shows the receiver's answer and latency; a receiver that refuses it fails", async () => {
    assert.equal(await create('crm'), 0);
    const secret = /Signing secret: (whsec_\S+)/.exec(out.join(''))?.[1];
    assert.ok(secret);
    out = [];
    const before = receiver.received.length;
    assert.equal(await run('test', 'crm'), 1, 'the receiver does not know this secret yet: 401');
    assert.match(out.join(''), /✘ crm did not take the sample event: 401 .*\(in \d+ ms\)/);
    receiver.useSecret(secret);
    assert.equal(await run('test', 'crm'), 0, err.join(''));
    assert.match(out.join(''), /✔ crm took the sample event: 200 in \d+ ms/);
    assert.deepEqual(
      receiver.received.slice(before).map((r) => r.verified),
      [false, true],
    );
  });

  test('replay hands the events of a range to the destination again, same webhook-id; replay and delete find it by name', async () => {
    assert.equal(await create('crm', '--events', 'message.text'), 0);
    receiver.useSecret(/Signing secret: (whsec_\S+)/.exec(out.join(''))?.[1] ?? '');
    const first = receiver.received.length;
    const now = Date.now();
    assert.equal(
      (await target.deliver(textDelivery('wamid.REPLAY', Math.floor(now / 1000), 'again?'))).status,
      200,
    );
    await waitFor('the event delivered', () => receiver.received.length === first + 1, 10_000);
    const range = [
      '--since',
      new Date(now - 3_600_000).toISOString(),
      '--until',
      new Date(now + 3_600_000).toISOString(),
    ];
    out = [];
    assert.equal(await run('replay', 'crm', ...range, '--failed-only'), 0, err.join(''));
    assert.match(out.join(''), /Replay to "crm" from .* to .*: 0 failed events queued\./);
    assert.equal(await run('replay', 'crm', ...range), 0, err.join(''));
    assert.match(out.join(''), /: 1 events queued\./);
    await waitFor('the event delivered again', () => receiver.received.length === first + 2, 10_000);
    const [once, again] = receiver.received.slice(first);
    assert.ok(once?.verified && again?.verified);
    assert.equal(again?.id, once?.id, 'the same webhook-id on a replay');

    assert.equal(
      await run('replay', 'crm', '--since', '2026-01-02T00:00:00Z', '--until', '2026-01-01T00:00:00Z'),
      2,
    );
    assert.match(err.join(''), /--since must be earlier than --until/);
    assert.equal(await run('replay', 'crm', '--since', 'yesterday', '--until', '2026-01-01T00:00:00Z'), 2);
    assert.match(err.join(''), /--since must be an ISO 8601 time/);

    assert.equal(await run('delete', 'crm'), 0);
    assert.match(out.join(''), /Deleted destination "crm"/);
    assert.deepEqual(await listed(), []);
    assert.equal(await run('delete', 'crm'), 1);
    assert.match(err.join(''), /no destination has the id or name "crm"/);
  });

  test('a wrong token and a Wharf that is not running are explained, exit 1', async () => {
    assert.equal(await wharf('destinations', 'list', '--from', target.base, '--api-token', 'nope'), 1);
    assert.match(err.join(''), /answered 401 .*the API token was refused/);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    assert.equal(await wharf('destinations', 'list', '--from', nobody, '--api-token', TOKEN), 1);
    assert.match(err.join(''), /nothing is listening at http:\/\/127\.0\.0\.1:\d+: is Wharf running\?/);
    assert.equal(await wharf('destinations', 'list', '--from', 'wharf.local'), 2);
    assert.match(err.join(''), /--from must be the http:\/\/ or https:\/\/ URL of a running Wharf/);
  });
});

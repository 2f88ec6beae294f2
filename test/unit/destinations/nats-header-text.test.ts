import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headers } from 'nats';
import { natsHeaderText } from '../../../src/adapters/destinations/nats-header-text.js';

const decode = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** The same headers through nats.js's own MsgHdrs: appended, then set. */
function natsJs(fixed: ReadonlyArray<readonly [string, string]>, set: Record<string, string>) {
  // MsgHdrsImpl: its encode() is what a publish sends; the MsgHdrs type leaves it out.
  const h = headers() as ReturnType<typeof headers> & { encode(): Uint8Array };
  for (const [k, v] of fixed) h.append(k, v);
  for (const k in set) h.set(k, set[k] as string);
  return h;
}

const fixed = [
  ['Nats-Msg-Id', 'status:wamid.HBgM:read'],
  ['webhook-id', 'msg_abc'],
  ['wharf-event-name', 'status.read'],
] as const;

test('the header block, encoded as UTF-8, is byte for byte the one nats.js encodes, non-ASCII values included', () => {
  const sets: Array<Record<string, string>> = [
    {},
    { 'X-Hub-Signature-256': 'sha256=abc', 'content-type': 'application/json' },
    { 'webhook-id': ' msg_replaced ', note: 'héllo ✓ 👋' },
  ];
  for (const set of sets) {
    const ours = Buffer.from(natsHeaderText(fixed, set));
    const theirs = natsJs(fixed, set);
    assert.equal(decode(ours), decode(theirs.encode()));
    assert.deepEqual(Buffer.from(ours), Buffer.from(theirs.encode()));
  }
});

test('a value with a line break or a name that is no header name is refused, as nats.js refuses them', () => {
  assert.throws(() => natsHeaderText(fixed, { x: 'a\r\nInjected: 1' }), /\\r and \\n are not allowed/);
  assert.throws(() => natsJs(fixed, { x: 'a\r\nInjected: 1' }));
  for (const name of ['bad name', 'bad:name', 'bäd'])
    assert.throws(() => natsHeaderText(fixed, { [name]: 'v' }), /invalid NATS header name/);
});

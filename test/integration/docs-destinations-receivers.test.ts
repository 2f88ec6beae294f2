import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { newSecret } from '../../src/cli/listen/forward-event.js';
import { httpRequest } from '../helpers/post-signed.js';
import { freePort } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The receivers of docs/destinations.md are copied by people who verify Wharf's signature in another
 * language: each is taken from the page as written, run, and sent requests signed by the
 * `standardwebhooks` package (the reference implementation): a good signature is accepted, a bad one,
 * a changed body and an old timestamp are refused, and a rotation's two signatures are understood.
 */
function codeBlock(heading: string, lang: string): string {
  const doc = readFileSync('docs/destinations.md', 'utf8');
  const section = doc.slice(doc.indexOf(heading));
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(section);
  assert.ok(doc.includes(heading) && m?.[1], `docs/destinations.md has a ${lang} block under "${heading}"`);
  return m[1];
}

const body = JSON.stringify({
  id: '42',
  name: 'message.text',
  wamid: 'wamid.DOC',
  data: { body: 'Hola ñandú 👋' },
});

function signed(secret: string, options: { at?: Date; id?: string; payload?: string; extra?: string } = {}) {
  const at = options.at ?? new Date();
  const id = options.id ?? 'msg_42';
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': options.extra ? `${options.extra} ${signature}` : signature,
  };
}

/** Runs a receiver and checks the answers a real one must give. */
function receiverSpec(start: (dir: string, env: NodeJS.ProcessEnv) => ChildProcess) {
  const dir = tempDir();
  const secret = newSecret();
  let child: ChildProcess;
  let url: string;
  let output = '';
  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    child = start(dir.path, { ...process.env, WHARF_DESTINATION_SECRET: secret, PORT: String(port) });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor(
      `the receiver to listen (${output})`,
      async () => (await httpRequest(url, { method: 'POST', body: '{}' }).catch(() => null)) !== null,
      60_000,
    );
  });
  after(() => {
    child.kill();
    dir.cleanup();
  });
  const post = (headers: Record<string, string>, payload = body) =>
    httpRequest(url, { method: 'POST', headers, body: payload });

  test('accepts a request signed with the destination secret', async () => {
    assert.equal((await post(signed(secret))).status, 204);
    await waitFor('the event printed', () => output.includes('msg_42') && output.includes('message.text'));
  });
  test('refuses another secret, a changed body, a missing header and a timestamp older than 5 minutes', async () => {
    assert.equal((await post(signed(newSecret()))).status, 401);
    assert.equal((await post(signed(secret), body.replace('Hola', 'Adiós'))).status, 401);
    const { 'webhook-signature': _, ...unsigned } = signed(secret);
    assert.equal((await post(unsigned)).status, 401);
    assert.equal((await post(signed(secret, { at: new Date(Date.now() - 10 * 60_000) }))).status, 401);
  });
  test('accepts a rotation: two signatures, the first made with a secret it does not know', async () => {
    const old = new Webhook(newSecret()).sign('msg_42', new Date(), body);
    assert.equal((await post(signed(secret, { extra: old }))).status, 204);
  });
}

describe('docs/destinations.md: the Python receiver, run with python3', () => {
  receiverSpec((dir, env) => {
    const file = join(dir, 'receiver.py');
    writeFileSync(file, codeBlock('### A Python receiver', 'python'));
    return spawn('python3', [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  });
});

// .ci/run installs Debian's Go when it is missing; there (WHARF_REQUIRE_SERVICES=1) a machine without
// it fails this suite instead of skipping it.
const hasGo = spawnSync('go', ['version']).status === 0;
const requireGo = process.env.WHARF_REQUIRE_SERVICES === '1';
if (!hasGo && requireGo)
  test('docs/destinations.md: the Go receiver — go is required here (WHARF_REQUIRE_SERVICES=1)', () =>
    assert.fail('go is not installed; .ci/run installs golang-go'));
describe(
  'docs/destinations.md: the Go receiver, run with go',
  { skip: hasGo || requireGo ? false : 'go is not installed on this machine' },
  () => {
    receiverSpec((dir, env) => {
      const file = join(dir, 'receiver.go');
      writeFileSync(file, codeBlock('### A Go receiver', 'go'));
      // Built first, then run: `go run` would leave the built receiver running when it is killed.
      const built = spawnSync('go', ['build', '-o', join(dir, 'receiver'), file], { encoding: 'utf8' });
      assert.equal(built.status, 0, `the Go receiver compiles:\n${built.stderr}`);
      return spawn(join(dir, 'receiver'), [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    });
  },
);

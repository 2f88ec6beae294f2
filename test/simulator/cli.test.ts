import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/core/verify-signature.js';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { startServer, type LocalServer } from './local-server.js';

const TSX = import.meta.resolve('tsx');
const MAIN = pathToFileURL(resolve('src/cli/main.ts')).href;
const RUN = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(['node', 'wharf', ...process.argv.slice(1)]); })`;
// An empty working directory and environment, so no .env or exported secret leaks into the run.
const CWD = mkdtempSync(join(tmpdir(), 'wharf-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `wharf <args>` in a child process, the way the bin does. */
function wharf(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, '-e', RUN, ...args], {
      cwd: CWD,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('wharf simulate and wharf verify (CLI)', () => {
  let ok: LocalServer;
  let failing: LocalServer;
  before(async () => {
    ok = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET') {
        const good = url.searchParams.get('hub.verify_token') === 'tok';
        return void res
          .writeHead(good ? 200 : 403, { 'content-type': 'text/plain' })
          .end(good ? url.searchParams.get('hub.challenge') : '');
      }
      res.writeHead(200).end();
    });
    failing = await startServer((_req, res) => res.writeHead(500).end());
  });
  after(async () => {
    await ok.close();
    await failing.close();
  });

  it('--list prints every scenario with its one-line description', async () => {
    const run = await wharf(['simulate', '--list']);
    assert.equal(run.code, 0);
    for (const s of SCENARIOS)
      assert.match(run.stdout, new RegExp(`^${s.name} +${s.description.slice(0, 20)}`, 'm'));
  });

  it('sends the chosen scenarios signed with --secret and exits 0 when all are acknowledged', async () => {
    const run = await wharf([
      'simulate',
      '--url',
      ok.url,
      '--secret',
      'cli-secret',
      '--scenario',
      'status-lifecycle',
      '--scenario',
      'bsuid-only-contact',
      '--seed',
      '4',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✔ status-lifecycle: 3 deliveries/);
    assert.match(run.stdout, /✔ bsuid-only-contact: 3 deliveries/);
    assert.match(run.stdout, /OK: 6\/6 deliveries acknowledged with 200/);
    assert.equal(ok.requests.filter((r) => r.method === 'POST').length, 6);
    for (const r of ok.requests)
      assert.ok(verifySignature(r.body, r.headers['x-hub-signature-256'] as string, ['cli-secret']).ok);
  });

  it('takes the secret from WHATSAPP_APP_SECRET when --secret is absent', async () => {
    const run = await wharf(['simulate', '--url', ok.url, '--scenario', 'account-restriction', '--json'], {
      WHATSAPP_APP_SECRET: 'env-secret,old',
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { ok: boolean; scenarios: unknown[] };
    assert.equal(report.ok, true);
    const last = ok.requests.at(-1);
    assert.ok(
      last && verifySignature(last.body, last.headers['x-hub-signature-256'] as string, ['env-secret']).ok,
    );
  });

  it('exits 1 and says so when a delivery is never acknowledged', async () => {
    const run = await wharf([
      'simulate',
      '--url',
      failing.url,
      '--secret',
      's',
      '--scenario',
      'account-restriction',
      '--time-scale',
      '1000000',
      '--max-retries',
      '2',
    ]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /HTTP 500, retry immediately → HTTP 500, retry after 1 min → HTTP 500 — NOT ACKNOWLEDGED/,
    );
    assert.match(run.stdout, /FAILED: 0\/1/);
  });

  it('exits 2 naming the problem for an unknown scenario or a missing secret', async () => {
    const unknown = await wharf(['simulate', '--url', ok.url, '--secret', 's', '--scenario', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown scenario: nope/);
    const noSecret = await wharf(['simulate', '--url', ok.url]);
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /No app secret/);
  });

  it('runs bounded load mode and prints the summary as JSON', async () => {
    const run = await wharf([
      'simulate',
      '--url',
      ok.url,
      '--secret',
      's',
      '--rate',
      '100',
      '--duration',
      '0.5',
      '--connections',
      '2',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { sent: number; ok: number; byStatus: Record<string, number> };
    assert.deepEqual([summary.sent, summary.ok, summary.byStatus], [50, 50, { '200': 50 }]);
  });

  it('verify exits 0 for a good handshake and 1 with the reason for a wrong token', async () => {
    const good = await wharf(['verify', '--url', ok.url, '--verify-token', 'tok']);
    assert.equal(good.code, 0);
    assert.match(good.stdout, /✔ .*Meta will accept it/);
    const bad = await wharf(['verify', '--url', ok.url, '--verify-token', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /✘ .*verify token does not match/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/core/verify-signature.js';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { buildScenario } from '../../src/testing.js';
import { startServer, type LocalServer } from './local-server.js';
import { freePort } from '../helpers/spawn-wharf.js';

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

/** `wharf simulate --url <url> --secret s <flags>`. */
const simulate = (url: string, flags: string[]) =>
  wharf(['simulate', '--url', url, '--secret', 's', ...flags]);

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

  it('--json prints snake_case keys like all JSON Wharf emits, keeping keys that are data (wamids) as they are', async () => {
    const run = await simulate(ok.url, ['--scenario', 'status-lifecycle', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      seed: number;
      now: number;
      time_scale: number;
      scenarios: Array<{
        expect: { message_status: Record<string, string> };
        deliveries: Array<{ attempts: Array<{ meta_delay_ms: number }> }>;
      }>;
    };
    assert.equal(report.time_scale, 3600);
    assert.equal(report.scenarios[0]?.deliveries[0]?.attempts[0]?.meta_delay_ms, 0);
    const plan = buildScenario('status-lifecycle', { seed: report.seed, now: report.now });
    assert.deepEqual(report.scenarios[0]?.expect.message_status, plan.expect.messageStatus);
  });

  it('exits 1 and says so when a delivery is never acknowledged', async () => {
    const run = await simulate(failing.url, [
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
    const unknown = await simulate(ok.url, ['--scenario', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown scenario: nope/);
    const noSecret = await wharf(['simulate', '--url', ok.url]);
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /No app secret/);
    const emptySecret = await wharf(['simulate', '--url', ok.url, '--secret', '']);
    assert.equal(emptySecret.code, 2);
    assert.match(emptySecret.stderr, /--secret is empty/);
  });

  it('exits 2 naming --url, before sending anything, when the URL is not an http(s) URL', async () => {
    for (const url of ['notaurl', 'ftp://example.com/webhook']) {
      const sim = await simulate(url, ['--scenario', 'account-restriction']);
      assert.equal(sim.code, 2, sim.stderr);
      assert.match(sim.stderr, /^wharf simulate: --url must be an http:\/\/ or https:\/\/ URL \(got "/m);
      assert.doesNotMatch(sim.stderr, /Sending to/);
      const verify = await wharf(['verify', '--url', url, '--verify-token', 'tok']);
      assert.equal(verify.code, 2, verify.stderr);
      assert.match(verify.stderr, /^wharf verify: --url must be an http:\/\/ or https:\/\/ URL/m);
    }
  });

  it('exits 2 naming the flag for a bad load-mode flag, and for load flags given without --rate', async () => {
    const base = ['simulate', '--url', ok.url, '--secret', 's'];
    const before = ok.requests.length;
    const cases: Array<[string[], RegExp]> = [
      [['--rate', '5', '--connections', '0'], /--connections must be a whole number ≥ 1 \(got "0"\)/],
      [['--rate', '5', '--connections', '1.5'], /--connections must be a whole number ≥ 1/],
      [['--rate', '5', '--duration', 'abc'], /--duration must be a number greater than 0 \(got "abc"\)/],
      [['--rate', '0'], /--rate must be a number greater than 0 \(got "0"\)/],
      [['--rate', '0.1', '--duration', '1'], /--rate × --duration is less than one request/],
      [['--duration', '5'], /--duration only applies to load mode: add --rate/],
      [['--connections', '4'], /--connections only applies to load mode: add --rate/],
    ];
    for (const [flags, message] of cases) {
      const run = await wharf([...base, ...flags]);
      assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^wharf simulate: ${message.source}`, 'm'), flags.join(' '));
    }
    assert.equal(ok.requests.length, before, 'nothing may be sent after a usage error');
  });

  it('exits 2 for numbers a flag cannot take: fractions of a count, empty, hex, past the timer limit', async () => {
    const base = ['simulate', '--url', ok.url, '--secret', 's', '--scenario', 'account-restriction'];
    const cases: Array<[string[], RegExp]> = [
      [['--seed', '1.5'], /--seed must be a whole number ≥ 0 \(got "1.5"\)/],
      [['--seed', ''], /--seed must be a whole number ≥ 0 \(got ""\)/],
      [['--seed', '0x10'], /--seed must be a whole number ≥ 0/],
      [['--now', '1767225600.5'], /--now must be a whole number ≥ 0/],
      [['--max-retries', '1.5'], /--max-retries must be a whole number ≥ 0/],
      [['--timeout', '3000000000'], /--timeout must be at most 2147483647/],
    ];
    for (const [flags, message] of cases) {
      const run = await wharf([...base, ...flags]);
      assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, flags.join(' '));
    }
    const verify = await wharf(['verify', '--url', ok.url, '--verify-token', 'tok', '--timeout', '1e10']);
    assert.equal(verify.code, 2, verify.stderr);
    assert.match(verify.stderr, /--timeout must be a whole number ≥ 1/);
  });

  it('prints each failed attempt as it happens, and names the signature when the answer is 401', async () => {
    const refusing = await startServer((_req, res) => res.writeHead(401).end());
    try {
      const run = await wharf([
        'simulate',
        '--url',
        refusing.url,
        '--secret',
        'wrong',
        '--scenario',
        'account-restriction',
        '--time-scale',
        '1000000',
        '--max-retries',
        '2',
      ]);
      assert.equal(run.code, 1);
      // One line per attempt on stderr while the schedule runs, not one line after all of it.
      assert.match(run.stderr, /account-restriction · .* → HTTP 401, retry immediately/);
      assert.match(run.stderr, /account-restriction · .* → HTTP 401, retry after 1 min/);
      assert.match(run.stdout, /HTTP 401.*signature.*--secret.*WHATSAPP_APP_SECRET/);
    } finally {
      await refusing.close();
    }
  });

  it('says at once that nothing is listening at a closed port, sends nothing and exits 1, instead of retrying for minutes', async () => {
    const url = `http://127.0.0.1:${await freePort()}/webhooks/whatsapp`;
    for (const mode of [[], ['--rate', '10', '--duration', '1']]) {
      const run = await simulate(url, mode);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /Connection refused: nothing is listening at this host and port/);
      assert.match(run.stderr, /Nothing was sent.*pass --retry to follow its schedule anyway/);
      assert.doesNotMatch(run.stderr, /→ ECONNREFUSED/, 'no delivery was attempted');
    }
  });

  it("--retry follows Meta's retry schedule even when nothing is listening", async () => {
    const url = `http://127.0.0.1:${await freePort()}/webhooks/whatsapp`;
    const run = await simulate(url, [
      '--scenario',
      'account-restriction',
      '--retry',
      '--time-scale',
      '1000000',
      '--max-retries',
      '1',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /account-restriction · .* → ECONNREFUSED, retry immediately/);
    assert.doesNotMatch(run.stderr, /nothing is listening/);
  });

  it('runs bounded load mode and prints the summary as JSON', async () => {
    const run = await simulate(ok.url, [
      '--rate',
      '100',
      '--duration',
      '0.5',
      '--connections',
      '2',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as {
      sent: number;
      ok: number;
      by_status: Record<string, number>;
      p99_ms: number;
    };
    assert.deepEqual([summary.sent, summary.ok, summary.by_status], [50, 50, { '200': 50 }]);
    assert.equal(typeof summary.p99_ms, 'number', 'snake_case like all JSON Wharf prints');
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

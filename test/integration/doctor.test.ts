import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/sqlite/open-database.js';
import { migrate } from '../../src/adapters/sqlite/migrate.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { formatDoctorReport } from '../../src/doctor/format-doctor-report.js';
import type { DoctorReport } from '../../src/doctor/doctor-check.js';
import { tempDir } from '../helpers/temp-dir.js';
import { createOutboxDb } from '../helpers/outbox-db.js';
import { closedPort } from '../simulator/local-server.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const SECRET = 'app-secret-do-not-print-1234';
const VERIFY = 'verify-token-do-not-print-5678';
const ACCESS = 'access-token-do-not-print-9012';
const API = 'api-token-do-not-print-3456';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/** The CLI as a child process; asynchronous so the in-process mock servers keep answering. */
function wharf(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'doctor', ...args],
      { env: { ...process.env, WHARF_LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}

const statusOf = (r: DoctorReport, name: string) => r.checks.find((c) => c.name === name);

/**
 * The Graph API's GET /app as Meta answers it: error 190 for an unknown token, error 100 when
 * appsecret_proof is not HMAC-SHA256(token, the secret of the token's app), else the app.
 */
function answerApp(req: IncomingMessage, url: URL, res: ServerResponse): void {
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (req.headers.authorization !== `Bearer ${ACCESS}`)
    return json(401, {
      error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 },
    });
  const proof = url.searchParams.get('appsecret_proof');
  if (proof !== null && proof !== createHmac('sha256', SECRET).update(ACCESS).digest('hex'))
    return json(400, {
      error: {
        message: 'Invalid appsecret_proof provided in the API argument',
        type: 'GraphMethodException',
        code: 100,
      },
    });
  json(200, { id: '4455667788', name: 'Shop App' });
}

describe('wharf doctor', () => {
  const dir = tempDir('wharf-doctor-');
  const migrated = join(dir.path, 'migrated.db');
  const unmigrated = join(dir.path, 'unmigrated.db');
  let graph: { server: Server; base: string };
  let graphAnswer: { status: number; body: unknown } = { status: 200, body: { data: [] } };
  let graphAuth: string | undefined;

  before(async () => {
    const db = openDatabase(migrated);
    migrate(db, T0);
    db.close();
    openDatabase(unmigrated).close();
    graph = await listen((req, res) => {
      graphAuth = req.headers.authorization;
      const url = new URL(req.url ?? '/', 'http://graph');
      if (url.pathname === '/v24.0/app') return void answerApp(req, url, res);
      if (req.url !== '/v24.0/111222/subscribed_apps') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(graphAnswer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(graphAnswer.body));
    });
  });
  after(async () => {
    await close(graph.server);
    dir.cleanup();
  });

  const env = (over: Record<string, string | undefined> = {}) => ({
    DATABASE_URL: `sqlite:${migrated}`,
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY,
    WHATSAPP_ACCESS_TOKEN: ACCESS,
    WHARF_API_TOKEN: API,
    WHATSAPP_GRAPH_URL: `${graph.base}/v24.0`,
    ...over,
  });
  const doctor = (e: Record<string, string | undefined>, o: { url?: string; wabaId?: string } = {}) =>
    runDoctor({ config: { env: e, envFile: false }, timeoutMs: 5000, ...o });

  test('(a) a migrated database with every secret set: exit 0, every check ok, no secret printed', async () => {
    const r = await wharf([], env());
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /✔ configuration/);
    assert.match(r.out, /✔ storage: The SQLite database is migrated; 0 deliveries are waiting/);
    assert.match(r.out, /✔ invalid deliveries/);
    assert.match(r.out, /All checks passed/);
    assert.doesNotMatch(r.out, /[!✖] /);
    for (const s of [SECRET, VERIFY, ACCESS, API]) assert.ok(!r.out.includes(s));
    const json = await wharf(['--json'], env());
    const report = JSON.parse(json.out) as DoctorReport;
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.status]),
      [
        ['configuration', 'ok'],
        ['storage', 'ok'],
        ['invalid deliveries', 'ok'],
        ['access token', 'ok'],
        ['app secret', 'ok'],
      ],
    );
  });

  test('(b) no WHATSAPP_APP_SECRET: fails pointing at Settings → Basic, exit 1, no secret printed', async () => {
    const r = await wharf([], env({ WHATSAPP_APP_SECRET: '', WHARF_API_TOKEN: '' }));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /✖ WHATSAPP_APP_SECRET: WHATSAPP_APP_SECRET is not set/);
    assert.match(r.out, /→ .*Settings → Basic/);
    assert.match(r.out, /! WHARF_API_TOKEN/);
    for (const s of [SECRET, VERIFY, ACCESS, API]) assert.ok(!r.out.includes(s));
    const report = await doctor(env({ WHATSAPP_VERIFY_TOKEN: undefined, WHATSAPP_ACCESS_TOKEN: undefined }));
    assert.equal(statusOf(report, 'WHATSAPP_VERIFY_TOKEN')?.status, 'warn');
    assert.equal(statusOf(report, 'WHATSAPP_ACCESS_TOKEN')?.status, 'warn');
    assert.ok(!JSON.stringify(report).includes(SECRET));
  });

  test("a WHATSAPP_APP_SECRET that is not the App Secret of the access token's app fails (appsecret_proof)", async () => {
    const wrong = 'secret-of-another-app-0000';
    const r = await wharf([], env({ WHATSAPP_APP_SECRET: wrong }));
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.out,
      /✖ app secret: WHATSAPP_APP_SECRET is not the App Secret of the app that issued WHATSAPP_ACCESS_TOKEN.*every POST gets 401/,
    );
    assert.match(r.out, /→ .*App Dashboard → Settings → Basic/);
    for (const s of [wrong, ACCESS, createHmac('sha256', wrong).update(ACCESS).digest('hex')])
      assert.ok(!r.out.includes(s));

    const right = await doctor(env());
    assert.match(
      statusOf(right, 'access token')?.message ?? '',
      /accepts WHATSAPP_ACCESS_TOKEN, issued by app Shop App \(4455667788\)/,
    );
    assert.match(
      statusOf(right, 'app secret')?.message ?? '',
      /^WHATSAPP_APP_SECRET is the App Secret of app Shop App/,
    );

    const rotated = await doctor(env({ WHATSAPP_APP_SECRET: `${wrong},${SECRET}` }));
    assert.equal(statusOf(rotated, 'app secret')?.status, 'ok');
    assert.match(statusOf(rotated, 'app secret')?.message ?? '', /^Value 2 of the 2 in WHATSAPP_APP_SECRET/);
    const none = await doctor(env({ WHATSAPP_APP_SECRET: `${wrong},another` }));
    assert.equal(statusOf(none, 'app secret')?.status, 'fail');
    assert.match(
      statusOf(none, 'app secret')?.message ?? '',
      /^None of the 2 values of WHATSAPP_APP_SECRET is/,
    );
  });

  test('an invalid or expired access token fails without --waba-id; an unreachable Graph API is a warning', async () => {
    const r = await wharf([], env({ WHATSAPP_ACCESS_TOKEN: 'expired-token-0000' }));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /✖ access token: The access token is invalid or expired \(Graph API error 190\)/);
    assert.ok(!r.out.includes('expired-token-0000'));

    const offline = await doctor(env({ WHATSAPP_GRAPH_URL: `http://127.0.0.1:${await closedPort()}/v24.0` }));
    assert.equal(statusOf(offline, 'access token')?.status, 'warn');
    assert.match(
      statusOf(offline, 'access token')?.message ?? '',
      /could not be reached: .*ECONNREFUSED.*could not be checked/,
    );
    assert.equal(offline.ok, true);
  });

  test('an invalid setting fails the configuration check and skips the rest', async () => {
    const report = await doctor(env({ PORT: 'not-a-port' }));
    assert.equal(report.ok, false);
    assert.equal(report.checks.length, 1);
    assert.match(report.checks[0]?.message ?? '', /PORT/);
  });

  test('deliveries stored as invalid are a warning, not a failure', async () => {
    const x = createOutboxDb(T0);
    try {
      x.addDelivery(T0, 'invalid');
      x.addDelivery(T0, 'pending');
      const report = await doctor(env({ DATABASE_URL: `sqlite:${x.path}` }));
      assert.equal(report.ok, true);
      assert.match(statusOf(report, 'storage')?.message ?? '', /1 delivery is waiting/);
      const invalid = statusOf(report, 'invalid deliveries');
      assert.equal(invalid?.status, 'warn');
      assert.match(invalid?.message ?? '', /^1 stored delivery could not be read/);
      assert.match(formatDoctorReport(report), /^! invalid deliveries/m);
    } finally {
      await x.dispose();
    }
  });

  test('(c) an unmigrated database fails and says to run wharf migrate', async () => {
    const report = await doctor(env({ DATABASE_URL: `sqlite:${unmigrated}` }));
    assert.equal(report.ok, false);
    const storage = statusOf(report, 'storage');
    assert.equal(storage?.status, 'fail');
    assert.match(storage?.message ?? '', /migrations not applied/);
    assert.match(storage?.action ?? '', /Run wharf migrate/);
    assert.match(formatDoctorReport(report), /✖ storage/);
    const missing = join(dir.path, 'typo', 'none.db');
    const none = await doctor(env({ DATABASE_URL: `sqlite:${missing}` }));
    assert.match(statusOf(none, 'storage')?.message ?? '', /There is no SQLite database at/);
    assert.match(statusOf(none, 'storage')?.action ?? '', /wharf migrate/);
    assert.equal(existsSync(missing), false);
  });

  test('a PostgreSQL server that cannot be reached fails storage and says to check the server, not to migrate', async () => {
    const port = await closedPort();
    const report = await doctor(env({ DATABASE_URL: `postgres://wharf@127.0.0.1:${port}/wharf` }));
    const storage = statusOf(report, 'storage');
    assert.equal(storage?.status, 'fail');
    assert.match(storage?.message ?? '', /cannot be reached.*ECONNREFUSED/);
    assert.doesNotMatch(storage?.action ?? '', /migrate/);
    assert.match(storage?.action ?? '', /running and reachable/);
  });

  test('(d) --url: a correct handshake is ok; a wrong one fails with the diagnosis', async () => {
    const good = await listen((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      if (q.get('hub.verify_token') !== VERIFY) return void res.writeHead(403).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(q.get('hub.challenge') ?? '');
    });
    const bad = await listen(
      (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    );
    try {
      const ok = await doctor(env(), { url: `${good.base}/webhook` });
      assert.equal(statusOf(ok, 'webhook endpoint')?.status, 'ok', JSON.stringify(ok));
      assert.equal(ok.ok, true);
      const r = await wharf(['--url', `${bad.base}/webhook`], env());
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /✖ webhook endpoint: http:\/\/127\.0\.0\.1:\d+\/webhook: .*challenge/i);
      assert.ok(!r.out.includes(VERIFY));
    } finally {
      await close(good.server);
      await close(bad.server);
    }
  });

  test('exits 2 naming the flag for a --url that is not http(s), a non-numeric --waba-id or a bad --timeout', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['--url', 'notaurl'],
        /^wharf doctor: --url must be an http:\/\/ or https:\/\/ URL \(got "notaurl"\)/m,
      ],
      [['--waba-id', ''], /^wharf doctor: --waba-id must be the WhatsApp Business Account's numeric id/m],
      [
        ['--waba-id', '../me'],
        /--waba-id must be the WhatsApp Business Account's numeric id \(got "\.\.\/me"\)/,
      ],
      [['--timeout', '1.5'], /^wharf doctor: --timeout must be a whole number ≥ 1/m],
    ];
    for (const [flags, message] of cases) {
      const r = await wharf(flags, env());
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.out}`);
      assert.match(r.out, message, flags.join(' '));
      assert.doesNotMatch(r.out, /✔ storage/, 'no check runs after a usage error');
    }
  });

  test('(e) --waba-id: no subscribed app fails, a subscribed app is ok, error 190 is an invalid token', async () => {
    graphAnswer = { status: 200, body: { data: [] } };
    let report = await doctor(env(), { wabaId: '111222' });
    let sub = statusOf(report, 'WABA subscription');
    assert.equal(sub?.status, 'fail');
    assert.match(
      sub?.message ?? '',
      /no subscribed app.*real messages never arrive while the dashboard Test works/,
    );
    assert.match(sub?.action ?? '', /POST \/111222\/subscribed_apps/);
    assert.equal(graphAuth, `Bearer ${ACCESS}`);

    graphAnswer = {
      status: 200,
      body: { data: [{ whatsapp_business_api_data: { name: 'My App', id: '1' } }] },
    };
    report = await doctor(env(), { wabaId: '111222' });
    sub = statusOf(report, 'WABA subscription');
    assert.equal(sub?.status, 'ok');
    assert.match(sub?.message ?? '', /My App/);
    assert.equal(report.ok, true);

    graphAnswer = {
      status: 401,
      body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } },
    };
    const r = await wharf(['--waba-id', '111222', '--json'], env());
    assert.equal(r.code, 1, r.out);
    const json = JSON.parse(r.out) as DoctorReport;
    assert.match(statusOf(json, 'WABA subscription')?.message ?? '', /access token is invalid or expired/);
    assert.ok(!r.out.includes(ACCESS));

    report = await doctor(env({ WHATSAPP_ACCESS_TOKEN: undefined }), { wabaId: '111222' });
    assert.equal(statusOf(report, 'WABA subscription')?.status, 'warn');
  });
});

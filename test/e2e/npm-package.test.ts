import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { freePort } from '../helpers/spawn-wharf.js';
import { apiGet, postSigned } from '../helpers/post-signed.js';
import { textDelivery } from '../helpers/webhook-bodies.js';
import { waitFor } from '../helpers/wait-for.js';

/*
 * Wharf as a new user meets it: `npm pack` (which builds through `prepare`), the tarball unpacked into
 * an application's node_modules, then the CLI and the library used from there with plain node — no tsx,
 * no src/, no repository around it. Everything the package needs at run time (migrations, the worker
 * threads' modules, the types) must be inside the tarball and found relative to it.
 */

const REPO = resolve('.');
const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};
const SECRET = 'package-secret';

interface Packed {
  readonly files: readonly string[];
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    // A clean environment: no NODE_OPTIONS carrying --import tsx into the child, no exported secrets.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WHARF_LOG_LEVEL: 'warn', ...env },
  });
}

describe('the npm package', { timeout: 300_000 }, () => {
  const dir = tempDir('wharf-package-');
  const app = join(dir.path, 'app');
  const installed = join(app, 'node_modules', 'wharf');
  let packed: Packed;

  before(() => {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', dir.path], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 180_000,
    });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.ok(info);
    packed = { files: info.files.map((f) => f.path) };
    // Unpacked as npm installs it; its dependencies are the repository's (installing them from the
    // registry would compile better-sqlite3 again). Only the package's own files come from the tarball.
    mkdirSync(installed, { recursive: true });
    const untar = run(
      'tar',
      ['-xzf', join(dir.path, info.filename), '-C', installed, '--strip-components=1'],
      REPO,
    );
    assert.equal(untar.status, 0, untar.stderr);
    symlinkSync(join(REPO, 'node_modules'), join(installed, 'node_modules'), 'dir');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  });

  after(() => dir.cleanup());

  test('holds the built library with its types, the CLI, every migration, README, the licence and the docs README links to', () => {
    const files = new Set(packed.files);
    const wanted = new Set(
      [
        'package.json',
        'README.md',
        'LICENSE',
        // The built dashboard, served at /ui/ by `wharf start` from the installed package.
        'dist/ui/index.html',
        ...Object.values(PKG.bin),
        PKG.main,
        PKG.types,
        ...Object.values(PKG.exports).flatMap((e) => [e.types, e.default]),
        ...['sqlite', 'postgres'].flatMap((d) =>
          readdirSync(join(REPO, 'migrations', d)).map((f) => `migrations/${d}/${f}`),
        ),
        ...[...readFileSync(join(REPO, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#]+)/g)].map(
          (m) => m[1],
        ),
      ].map((p) => p!.replace(/^\.\//, '')),
    );
    const missing = [...wanted].filter((p) => !files.has(p));
    assert.deepEqual(missing, [], `missing from the package: ${missing.join(', ')}`);
  });

  test('holds no sources, tests, fixtures, benchmarks, compiled tests or local files', () => {
    const stray = packed.files.filter(
      (p) =>
        /^(src|test|fixtures|bench|scripts|data|node_modules|\.ci)\//.test(p) ||
        (p.startsWith('dist/') && !p.startsWith('dist/src/') && !p.startsWith('dist/ui/')) ||
        /(^|\/)\.env|\.log$|\.tgz$|\.db(-wal|-shm)?$/.test(p),
    );
    assert.deepEqual(stray, []);
  });

  test('every source map it ships carries its sources, since src/ is not in the package', () => {
    // A map naming ../../src/x.ts without the text sends debuggers and bundlers (Vite: "points to missing
    // source files") looking for files no user has.
    const maps = packed.files.filter((p) => p.endsWith('.js.map'));
    assert.ok(maps.length > 0);
    const bare = maps.filter((p) => {
      const map = JSON.parse(readFileSync(join(installed, p), 'utf8')) as {
        sources: string[];
        sourcesContent?: Array<string | null>;
      };
      return map.sources.some((src, i) => {
        const content = map.sourcesContent?.[i];
        return typeof content !== 'string' && !existsSync(resolve(join(installed, p, '..'), src));
      });
    });
    assert.deepEqual(bare, []);
  });

  test('wharf --version prints the package version', () => {
    const r = run(process.execPath, [join(installed, PKG.bin.wharf!), '--version'], app);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), PKG.version);
  });

  test('its CLI runs from node_modules with plain node: migrate, start, a signed delivery processed, SIGTERM exits 0', async () => {
    const bin = join(installed, PKG.bin.wharf!);
    // A relative DATABASE_URL is the user's working directory, never the package's.
    const env = {
      DATABASE_URL: 'sqlite:./data/wharf.db',
      WHATSAPP_APP_SECRET: SECRET,
      WHARF_API_TOKEN: 'api',
    };
    const migrate = run(process.execPath, [bin, 'migrate'], app, env);
    assert.equal(migrate.status, 0, migrate.stdout + migrate.stderr);
    assert.match(migrate.stdout, /applied migrations: 1, 2/);
    assert.ok(existsSync(join(app, 'data', 'wharf.db')));

    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'start'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        HOST: '127.0.0.1',
        PORT: String(port),
        WHARF_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await waitFor(
        'wharf listening',
        () => out.includes('wharf listening') || child.exitCode !== null,
        20_000,
      );
      assert.equal(child.exitCode, null, out);
      const base = `http://127.0.0.1:${port}`;
      const ack = await postSigned(
        `${base}/webhooks/whatsapp`,
        textDelivery('wamid.PKG1', 1767225600, 'hola'),
        SECRET,
      );
      assert.equal(ack.status, 200, ack.body);
      // Processing runs in a worker thread loaded from the package's dist/, as .js.
      await waitFor(
        'the event in the read API',
        async () =>
          (await apiGet(base, '/api/v1/events?wamid=wamid.PKG1', 'api')).body.includes('message.text'),
        10_000,
      );
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  });

  test("README's library quick start, in strict TypeScript against the package, type-checks, runs and its handlers get a signed POST", async () => {
    const port = await freePort();
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
          outDir: 'out',
        },
        files: ['quick-start.ts'],
      }),
    );
    writeFileSync(
      join(app, 'quick-start.ts'),
      `import { createWharf, loadConfig, type AnyWharfEvent } from 'wharf';
import { signBody } from 'wharf/testing';

const replies: string[] = [];
const failures: string[] = [];
const seen: string[] = [];
async function reply(to: string | undefined, body: string, opts: { idempotencyKey: string }): Promise<void> {
  replies.push(\`\${to ?? '?'} \${body} \${opts.idempotencyKey}\`);
}
const alert = (wamid: string | undefined, errors: unknown) => failures.push(\`\${wamid} \${JSON.stringify(errors)}\`);

const wharf = createWharf(loadConfig());
wharf.on('message.text', async (event, ctx) => {
  await reply(event.contact?.waId, event.data.body, { idempotencyKey: ctx.idempotencyKey });
});
wharf.on('status.failed', (event) => alert(event.wamid, event.data.errors));
wharf.onAny((event: AnyWharfEvent) => {
  seen.push(event.name);
});
const { port } = await wharf.listen();
const body = ${JSON.stringify(textDelivery('wamid.PKG2', 1767225600, 'olá 👍'))};
const res = await fetch(\`http://127.0.0.1:\${port}/webhooks/whatsapp\`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, process.env.WHATSAPP_APP_SECRET ?? '') },
  body,
});
for (let i = 0; i < 200 && (replies.length === 0 || seen.length === 0); i++) await new Promise((r) => setTimeout(r, 50));
await wharf.close();
console.log(JSON.stringify({ status: res.status, replies, seen, failures }));
`,
    );
    const tsc = run(
      process.execPath,
      [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
      app,
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    const r = run(process.execPath, [join(app, 'out', 'quick-start.js')], app, {
      DATABASE_URL: 'sqlite:./data/quick-start.db',
      WHATSAPP_APP_SECRET: SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const line = r.stdout.split('\n').find((l) => l.startsWith('{"status"'));
    const result = JSON.parse(line ?? 'null') as unknown;
    assert.deepEqual(result, {
      status: 200,
      replies: ['447700900123 olá 👍 msg:900000000000001:wamid.PKG2'],
      seen: ['message.text'],
      failures: [],
    });
  });
});

describe('bin/wharf.js before a build', () => {
  test('says Wharf is not built and to run npm run build, instead of a module-resolution stack trace', () => {
    // A clone installed with --ignore-scripts (or an install whose prepare was not allowed to run) has no dist/.
    const dir = tempDir('wharf-unbuilt-');
    try {
      mkdirSync(join(dir.path, 'bin'));
      writeFileSync(join(dir.path, 'bin', 'wharf.js'), readFileSync(join(REPO, PKG.bin.wharf!)));
      writeFileSync(join(dir.path, 'package.json'), readFileSync(join(REPO, 'package.json')));
      const r = run(process.execPath, [join(dir.path, 'bin', 'wharf.js'), '--help'], dir.path);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /Wharf is not built.*npm run build/s);
      assert.doesNotMatch(r.stderr, /ERR_MODULE_NOT_FOUND|\n\s+at /);
    } finally {
      dir.cleanup();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, spawnWharf } from '../helpers/spawn-wharf.js';
import { tempDir } from '../helpers/temp-dir.js';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs test/helpers/library-process.ts, sends `signal` once it listens, and reports how it ended. */
async function libraryProcessAfter(signal: NodeJS.Signals, mode: 'default' | 'signals-off'): Promise<Exit> {
  const dir = tempDir();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/library-process.ts', mode], {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${join(dir.path, 'lib.db')}`,
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        WHATSAPP_APP_SECRET: 'lib-secret',
        WHARF_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<Omit<Exit, 'output'>>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => (output.includes('listening ') ? resolve() : undefined));
      void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
    });
    await listening;
    child.kill(signal);
    return { ...(await exited), output };
  } finally {
    dir.cleanup();
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  test(`a library user's listen() stops gracefully on ${signal} and exits 0, though the application keeps handles open`, async () => {
    const exit = await libraryProcessAfter(signal, 'default');
    assert.equal(exit.code, 0, exit.output);
    assert.match(exit.output, new RegExp(`"signal":"${signal}".*shutting down`));
    assert.match(exit.output, /wharf stopped/);
  });

test('createWharf(config, { handleSignals: false }) leaves signals alone: SIGTERM ends the process the default way', async () => {
  const exit = await libraryProcessAfter('SIGTERM', 'signals-off');
  assert.equal(exit.signal, 'SIGTERM', exit.output);
  assert.doesNotMatch(exit.output, /shutting down|wharf stopped/);
});

test('wharf start stops once on SIGTERM: one graceful stop, not two, and exit 0', async () => {
  const dir = tempDir();
  try {
    const w = await spawnWharf({ DATABASE_URL: `sqlite:${join(dir.path, 'start.db')}` });
    w.child.kill('SIGTERM');
    const exit = await w.exited;
    assert.equal(exit.code, 0, w.output());
    assert.equal(w.output().match(/shutting down/g)?.length, 1, w.output());
    assert.equal(w.output().match(/wharf stopped/g)?.length, 1, w.output());
  } finally {
    dir.cleanup();
  }
});

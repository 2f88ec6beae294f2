import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { layerViolations } from '../helpers/layer-rules.js';

function sources(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.set(path, readFileSync(path, 'utf8'));
  }
  return out;
}

describe('import rules (docs/architecture.md)', () => {
  test('src/ follows them: adapters only from src/server/, app/ without api/, the storage URL tested only in config/ and server/', () => {
    assert.deepEqual(layerViolations(sources('src')), []);
  });

  test('each rule catches its violation', () => {
    const made = new Map([
      [
        'src/app/x.ts',
        "import { SqliteInbox } from '../adapters/sqlite/inbox.js';\nimport { send } from '../api/send.js';",
      ],
      ['src/api/y.ts', "import type { PostgresOutbox } from '../adapters/postgres/outbox.js';"],
      ['src/cli/z.ts', "export { migrate } from '../adapters/sqlite/migrate.js';"],
      ['src/doctor/w.ts', "if (config.databaseUrl.startsWith('sqlite:')) open();"],
      ['src/app/v.ts', "const pg = /^postgres(ql)?:\\/\\//.test(url) || storage.kind === 'postgres';"],
      [
        'src/server/root.ts',
        "import { openStorage } from '../adapters/sqlite/open-storage.js';\nif (config.storage.kind === 'sqlite') {}",
      ],
      ['src/adapters/sqlite/a.ts', "import { openDatabase } from './open-database.js';"],
      ['src/config/c.ts', "if (url.startsWith('sqlite:')) {}"],
      ['src/app/commented.ts', "// import { x } from '../adapters/sqlite/x.js'\n/* startsWith('sqlite:') */"],
    ]);
    const found = layerViolations(made).map((v) => `${v.file}: ${v.rule}: ${v.detail}`);
    assert.deepEqual(found, [
      'src/app/x.ts: only src/server/ imports adapters: src/adapters/sqlite/inbox.js',
      'src/app/x.ts: app/ imports no api/, server/ or cli/: src/api/send.js',
      'src/api/y.ts: only src/server/ imports adapters: src/adapters/postgres/outbox.js',
      'src/cli/z.ts: only src/server/ imports adapters: src/adapters/sqlite/migrate.js',
      "src/doctor/w.ts: only src/config/ and src/server/ test the storage URL: startsWith('sqlite:' | 'postgres…')",
      'src/doctor/w.ts: only src/config/ and src/server/ test the storage URL: config.databaseUrl',
      'src/app/v.ts: only src/config/ and src/server/ test the storage URL: a /^postgres…/ pattern',
      'src/app/v.ts: only src/config/ and src/server/ test the storage URL: storage.kind',
    ]);
  });

  test('eslint says the same while editing: an adapter or api/ import in app/ is an error', async () => {
    const eslint = new ESLint();
    const [result] = await eslint.lintText(
      "import { SqliteInbox } from '../adapters/sqlite/inbox.js';\nimport { send } from '../api/send.js';\nexport const parts = [SqliteInbox, send];\n",
      { filePath: 'src/app/example.ts' },
    );
    const restricted = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
    assert.deepEqual(
      restricted.map((m) => m.line),
      [1, 2],
    );
  });
});

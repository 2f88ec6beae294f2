import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The ```ts samples of the user docs are what people copy first: each one is compiled, as written,
 * against the public entry points (`wharf` → src/index.ts, `wharf/testing` → src/testing.ts), with
 * the project's strict compiler options. Only the reader's own objects (a CRM client, an alert
 * function, a URL…) are declared, as `any`, in a prelude: the Wharf calls themselves are checked.
 */
const DOCS = [
  'README.md',
  'docs/handlers.md',
  'docs/simulator.md',
  'docs/operations.md',
  'docs/architecture.md',
  'docs/sending.md',
];

/** Names the samples use for the reader's own code; nothing from Wharf may be in this list. */
const READER_OWNED = ['reply', 'alert', 'crm', 'analytics', 'archive', 'pager', 'url', 'myPayload', 'config'];

function tsBlocks(file: string): Array<{ file: string; line: number; code: string }> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Array<{ file: string; line: number; code: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

describe('code samples in the user docs', () => {
  const blocks = DOCS.flatMap(tsBlocks);

  test('the README and docs/handlers.md have samples to check', () => {
    assert.ok(blocks.some((b) => b.file === 'README.md'));
    assert.ok(blocks.filter((b) => b.file === 'docs/handlers.md').length >= 3);
    assert.ok(blocks.some((b) => b.file === 'docs/simulator.md'));
  });

  test("the README's reply sample replies with ctx.reply, which also reaches users who hide their number (test/unit/reply-context.test.ts)", () => {
    const replying = blocks.filter((b) => b.file === 'README.md' && /\breply\(/.test(b.code));
    assert.ok(replying.length > 0, 'the README has a sample that replies');
    for (const b of replying) assert.match(b.code, /ctx\.reply\(/, `README.md:${b.line}`);
  });

  test('the README library sample says how listen() stops on SIGTERM and how to opt out', () => {
    const sample = blocks.find((b) => b.file === 'README.md' && b.code.includes('wharf.listen()'));
    assert.ok(sample);
    assert.match(sample.code, /SIGTERM/);
    assert.match(sample.code, /handleSignals: false/);
  });

  test('every ```ts block compiles against the public API (src/index.ts, src/testing.ts)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wharf-doc-samples-'));
    try {
      const prelude = join(dir, 'reader-owned.d.ts');
      writeFileSync(
        prelude,
        // A script, not a module: these names are global for every sample.
        READER_OWNED.map((name) => `declare const ${name}: any;`).join('\n') + '\n',
      );
      const files = new Map<string, { file: string; line: number }>();
      blocks.forEach((b, i) => {
        // .mts: an ES module, so top-level await is allowed as in the docs; the prelude is global.
        const path = join(dir, `sample-${i}.mts`);
        writeFileSync(path, `${b.code}\nexport {};\n`);
        files.set(path, b);
      });
      const parsed = ts.getParsedCommandLineOfConfigFile(
        resolve('tsconfig.json'),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) =>
            assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        },
      );
      assert.ok(parsed);
      const options: ts.CompilerOptions = {
        ...parsed.options,
        noEmit: true,
        // The samples live in a temporary folder, outside the project's rootDir.
        rootDir: undefined,
        declaration: false,
        baseUrl: resolve('.'),
        paths: { wharf: ['src/index.ts'], 'wharf/testing': ['src/testing.ts'] },
      };
      const program = ts.createProgram([prelude, ...files.keys()], options);
      const problems = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file !== undefined && files.has(resolve(d.file.fileName)))
        .map((d) => {
          const where = files.get(resolve(d.file!.fileName))!;
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          return `${where.file}:${where.line + line - 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      const elsewhere = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file === undefined || !files.has(resolve(d.file.fileName)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(elsewhere, [], 'the samples could not be compiled at all');
      assert.deepEqual(problems, [], 'doc samples that do not compile against the public API');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

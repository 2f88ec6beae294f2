import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

/**
 * docs/architecture.md "Against the peers' known failures" may only cite tests that exist: each
 * row names test files and, in double quotes, test names as they are written in those files.
 */
function peerRows(): string[] {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const start = doc.indexOf("## Against the peers' known failures");
  assert.ok(start >= 0, 'the section exists');
  const end = doc.indexOf('\n## ', start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| complaint'));
}

test("every test cited in docs/architecture.md's peers table exists under the name given", () => {
  const rows = peerRows();
  assert.ok(rows.length >= 20, `${rows.length} rows`);
  for (const row of rows) {
    const cell = row.split(' | ').at(-1) ?? '';
    const cites = cell.split('<br>');
    assert.ok(cites.length > 0 && cell.includes('`test/'), `a test is cited in: ${row.slice(0, 80)}`);
    for (const cite of cites) {
      const m = /^`(test\/[^`]+\.ts)`: (.+?)\s*\|?$/.exec(cite.trim());
      assert.ok(m, `"\`file\`: names" in: ${cite}`);
      const [, file, names] = m as unknown as [string, string, string];
      assert.ok(existsSync(file), `${file} exists`);
      const source = readFileSync(file, 'utf8');
      const quoted = [...names.matchAll(/"([^"]+)"/g)].map((x) => x[1] as string);
      assert.ok(quoted.length > 0, `names a test of ${file}`);
      for (const name of quoted)
        assert.ok(
          source.includes(`'${name}'`) || source.includes(`\`${name}\``),
          `${file} has a test named: ${name}`,
        );
    }
  }
});

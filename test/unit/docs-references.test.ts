import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });
}

const SHIPPED = ['README.md', ...files('docs', '.md'), ...files('src', '.ts')];

describe('docs and comments say what they mean', () => {
  test('nothing cites a design document or § numbers of documents that are not in the repository (RFC sections excepted)', () => {
    const found: string[] = [];
    for (const file of SHIPPED)
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const withoutRfc = line.replace(/RFC \d+ §[\d.]+/g, '');
          if (/§|design doc|design §/i.test(withoutRfc)) found.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    assert.deepEqual(found, []);
  });

  test('docs/benchmarks.md is a report: each benchmark has its command and its figures, and no section is a development round', () => {
    const doc = readFileSync('docs/benchmarks.md', 'utf8');
    const sections = doc.split(/^## /m).slice(1);
    const benchmarks = sections.filter((s) =>
      /^(Ingest|Parsing|Processing|End-to-end lag|Scale-out)/.test(s),
    );
    assert.equal(benchmarks.length, 5);
    for (const s of benchmarks) {
      const name = s.split('\n')[0];
      assert.match(s, /```[a-z]*\nnpm run bench:/, `${name}: the command`);
      assert.match(s, /^### Figures$/m, `${name}: the figures`);
    }
    const headings = doc.split('\n').filter((l) => l.startsWith('#'));
    for (const h of headings) assert.doesNotMatch(h, /round|commit|before|after|\d{4}-\d{2}-\d{2}/i, h);
    assert.match(doc, /^## The machine$/m);
  });
});

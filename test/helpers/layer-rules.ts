/**
 * The import rules of src/ (docs/architecture.md, "Import rules"), checked on source text so a test
 * can run them on the repository and on small made-up file sets alike:
 * - only the composition root (src/server/) imports adapters (src/adapters/**), besides adapters themselves;
 * - app/ imports neither api/ nor the composition root; api/ imports no adapter (above) and not the root;
 * - nothing outside src/config/ (which takes DATABASE_URL apart) and src/server/ (which picks the
 *   adapter) tests the storage URL or its kind.
 */
import { dirname, join, normalize, relative, sep } from 'node:path';

export interface Violation {
  readonly file: string;
  readonly rule: string;
  readonly detail: string;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Tests of the URL's scheme or of the chosen kind, by any spelling used so far. */
const STORAGE_URL_TESTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/startsWith\(\s*['"`](?:sqlite|postgres)/, "startsWith('sqlite:' | 'postgres…')"],
  [/\/\^postgres/, 'a /^postgres…/ pattern'],
  [/\bisPostgresUrl\b|\bsqlitePath\s*\(/, 'isPostgresUrl / sqlitePath'],
  [/\.databaseUrl\b/, 'config.databaseUrl'],
  [/\bstorage\.kind\b/, 'storage.kind'],
];

/** `files`: path relative to the repository (e.g. `src/app/x.ts`) → source text. */
export function layerViolations(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [file, source] of files) {
    const layer = layerOf(file);
    for (const target of importsOf(file, source)) {
      const to = layerOf(target);
      if (to === 'adapters' && layer !== 'adapters' && layer !== 'server')
        out.push({ file, rule: 'only src/server/ imports adapters', detail: target });
      if (layer === 'app' && (to === 'api' || to === 'server' || to === 'cli'))
        out.push({ file, rule: 'app/ imports no api/, server/ or cli/', detail: target });
      if (layer === 'api' && (to === 'server' || to === 'cli'))
        out.push({ file, rule: 'api/ imports no server/ or cli/', detail: target });
    }
    if (layer === 'config' || layer === 'server') continue;
    for (const [pattern, what] of STORAGE_URL_TESTS)
      if (pattern.test(withoutComments(source)))
        out.push({ file, rule: 'only src/config/ and src/server/ test the storage URL', detail: what });
  }
  return out;
}

/** `src/<folder>/…` → folder; a file directly in src/ → `root`. */
function layerOf(file: string): string {
  const parts = normalize(file).split(sep);
  if (parts[0] !== 'src') return 'outside';
  return parts.length > 2 ? (parts[1] ?? 'root') : 'root';
}

/** Relative imports of `file`, as repository paths. */
function importsOf(file: string, source: string): string[] {
  const out: string[] = [];
  for (const m of withoutComments(source).matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined || !spec.startsWith('.')) continue;
    out.push(relative('.', join(dirname(file), spec)));
  }
  return out;
}

function withoutComments(source: string): string {
  // A line comment starts after a blank or punctuation, never inside `:\/\/` or a URL.
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
}

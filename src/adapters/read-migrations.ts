import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { parseMigrationFiles, type Migration } from '../core/pending-migrations.js';

/** Reads migrations/<dialect>/NNNN_*.sql from the package. */
export function readMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = join(packageRoot(), 'migrations', dialect);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
  return parseMigrationFiles(files);
}

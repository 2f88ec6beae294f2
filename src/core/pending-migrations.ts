export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Parses `NNNN_name.sql` file names; anything else in the folder is an error (a typo must not be skipped silently). */
export function parseMigrationFiles(files: ReadonlyArray<{ name: string; sql: string }>): Migration[] {
  const out = files.map(({ name, sql }) => {
    const m = FILE.exec(name);
    if (!m) throw new Error(`migration file name must look like 0001_name.sql: ${name}`);
    return { version: Number(m[1]), name: m[2] as string, sql };
  });
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++)
    if (out[i]?.version === out[i - 1]?.version)
      throw new Error(`duplicate migration version ${out[i]?.version}`);
  return out;
}

/** Migrations not yet applied, in order. */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  return all.filter((m) => !applied.has(m.version));
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/**
 * Refuses a database that holds migrations this build has no file for: a newer release migrated it,
 * and this code would read and write tables whose meaning it does not know (a rollback, or an old
 * image started by mistake). Checked before anything is applied, so nothing is changed.
 */
export function assertNoUnknownMigrations(
  all: readonly Migration[],
  applied: readonly AppliedMigration[],
): void {
  const known = new Set(all.map((m) => m.version));
  const unknown = applied.filter((m) => !known.has(m.version)).sort((a, b) => a.version - b.version);
  if (unknown.length === 0) return;
  const names = unknown.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ');
  const newest = all.at(-1);
  throw new Error(
    `The database was migrated by a newer release of Wharf: migration${unknown.length > 1 ? 's' : ''} ${names} ` +
      `${unknown.length > 1 ? 'are' : 'is'} unknown to this one (which knows up to ${newest ? `${String(newest.version).padStart(4, '0')}_${newest.name}` : 'none'}). ` +
      'Run the release that applied it, or restore a backup taken before it; this release does not run against a schema it does not know.',
  );
}

/** What a migration run applies, oldest first, once a database a newer release migrated is refused. */
export function migrationsToApply(
  all: readonly Migration[],
  applied: readonly AppliedMigration[],
): Migration[] {
  assertNoUnknownMigrations(all, applied);
  return pendingMigrations(all, new Set(applied.map((m) => m.version)));
}

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

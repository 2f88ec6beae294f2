import { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { migrateStorage } from '../../server/open-storage.js';

/** `wharf migrate`: apply pending numbered migrations for DATABASE_URL. Exit 1 when they cannot be. */
export function migrateCommand(): Command {
  return new Command('migrate').description('apply pending database migrations').action(async () => {
    const config = loadConfig();
    let applied: number[];
    try {
      applied = await migrateStorage(config, Date.now);
    } catch (err) {
      // A bare "connect ECONNREFUSED 127.0.0.1:5432" did not say what was being attempted. The URL
      // itself is not printed: it may hold a password.
      const why = err instanceof Error ? err.message : String(err);
      console.error(
        `wharf migrate: the migrations could not be applied to the database of DATABASE_URL: ${why}`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(
      applied.length === 0 ? 'database is up to date' : `applied migrations: ${applied.join(', ')}`,
    );
  });
}

import { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { migrateStorage } from '../../app/open-storage.js';

/** `wharf migrate`: apply pending numbered migrations for DATABASE_URL. */
export function migrateCommand(): Command {
  return new Command('migrate').description('apply pending database migrations').action(async () => {
    const config = loadConfig();
    const applied = await migrateStorage(config, Date.now);
    console.log(
      applied.length === 0 ? 'database is up to date' : `applied migrations: ${applied.join(', ')}`,
    );
  });
}

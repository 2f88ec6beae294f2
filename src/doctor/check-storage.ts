import type { WharfConfig } from '../config/load-config.js';
import type { Inbox } from '../ports/inbox.js';
import { openStorage } from '../server/open-storage.js';
import { check, errorText, type DoctorCheck } from './doctor-check.js';

/**
 * Opens DATABASE_URL without migrating, checks the migrations are applied, and reports the inbox
 * depth and any deliveries stored as `invalid`. Never prints DATABASE_URL (it may hold a password).
 */
export async function checkStorage(config: WharfConfig): Promise<DoctorCheck[]> {
  const storage = openStorage(config);
  const label = storage.label;
  // Opening a SQLite file creates it: a doctor must not leave an empty database behind a typo.
  const absent = storage.absentFile();
  if (absent !== null)
    return [
      check(
        'storage',
        'fail',
        `There is no ${label} database at ${absent}.`,
        'Check DATABASE_URL, or create the database with wharf migrate (wharf start also migrates before serving).',
      ),
    ];
  let inbox: Inbox;
  try {
    inbox = storage.inbox;
  } catch (err) {
    await storage.close();
    return [
      check(
        'storage',
        'fail',
        `The database in DATABASE_URL could not be opened: ${errorText(err)}`,
        'Check DATABASE_URL (sqlite:<path> or postgres://…) and that the database is reachable.',
      ),
    ];
  }
  try {
    try {
      await inbox.ready();
    } catch (err) {
      // Migrations are only the answer when the database answered; an unreachable server is not fixed by them.
      const pending = /migrations not applied/.test(errorText(err));
      return [
        pending
          ? check(
              'storage',
              'fail',
              `The ${label} database is not ready: ${errorText(err)}`,
              'Run wharf migrate (wharf start also migrates before serving).',
            )
          : check(
              'storage',
              'fail',
              `The ${label} database cannot be reached: ${errorText(err)}`,
              'Check that the database server is running and reachable with the host, port, user, password and database name of DATABASE_URL.',
            ),
      ];
    }
    const depth = await inbox.depth();
    const invalid = (await inbox.list({ limit: 1, state: 'invalid' })).total;
    const checks = [
      check(
        'storage',
        'ok',
        `The ${label} database is migrated; ${depth} ${depth === 1 ? 'delivery is' : 'deliveries are'} waiting to be processed.`,
      ),
    ];
    checks.push(
      invalid > 0
        ? check(
            'invalid deliveries',
            'warn',
            `${invalid} stored ${invalid === 1 ? 'delivery' : 'deliveries'} could not be read as a WhatsApp webhook (state invalid).`,
            'Inspect them with GET /api/v1/deliveries?state=invalid; after a fix, re-derive one with wharf replay --delivery <id>.',
          )
        : check('invalid deliveries', 'ok', 'No stored delivery is marked invalid.'),
    );
    return checks;
  } catch (err) {
    return [
      check(
        'storage',
        'fail',
        `Reading the inbox failed: ${errorText(err)}`,
        'Run wharf migrate, then try again.',
      ),
    ];
  } finally {
    await storage.close();
  }
}

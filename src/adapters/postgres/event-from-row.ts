/**
 * An `events` row → the WharfEvent handlers receive. The PostgreSQL row has the SQLite row's
 * shape exactly (same column names; BIGINT read as numbers, see open-database.ts; JSON kept as
 * TEXT), so the one mapping is shared rather than copied: both adapters rebuild identical events.
 */
export { eventFromRow, type EventRow } from '../sqlite/event-from-row.js';

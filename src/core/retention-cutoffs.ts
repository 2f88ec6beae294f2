/**
 * The two times a prune works between (pure: the caller passes the clock's now).
 *
 * `olderThan`: deliveries received before it are past retention (WHARF_RETENTION_DAYS).
 * `protectAfter`: deliveries received at or after it are inside the dedupe window
 * (WHARF_DEDUPE_WINDOW_HOURS) and always kept, whatever the retention says: the SQLite inbox finds a
 * byte-identical redelivery by looking up the stored row of a remembered hash, so a row pruned
 * inside the window would let Meta's retry be stored, processed and handed off a second time.
 */
export interface RetentionCutoffs {
  readonly olderThan: number;
  readonly protectAfter: number;
}

export interface RetentionSettings {
  /** 0 turns retention off. */
  readonly retentionDays: number;
  readonly dedupeWindowHours: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The cut-offs at `now`, or null when retention is off (WHARF_RETENTION_DAYS=0). */
export function retentionCutoffs(settings: RetentionSettings, now: number): RetentionCutoffs | null {
  const { retentionDays, dedupeWindowHours } = settings;
  if (!Number.isInteger(retentionDays) || retentionDays < 0)
    throw new RangeError(`retentionDays must be a whole number of days, got ${retentionDays}`);
  if (!(dedupeWindowHours > 0))
    throw new RangeError(`dedupeWindowHours must be positive, got ${dedupeWindowHours}`);
  if (retentionDays === 0) return null;
  return { olderThan: now - retentionDays * DAY_MS, protectAfter: now - dedupeWindowHours * HOUR_MS };
}

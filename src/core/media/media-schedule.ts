/**
 * When to try a media download again (pure). Meta's media id lives 7 days after the message
 * (Meta's media page), so retries go on, with exponential backoff and jitter capped at an hour, until
 * then; after that there is nothing left to download and the item is given up.
 */
export const MEDIA_ID_LIFETIME_MS = 7 * 24 * 3_600_000;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;

/** Epoch ms after which a download is not tried again. */
export function mediaGiveUpAt(occurredAt: number | null, registeredAt: number): number {
  return (occurredAt ?? registeredAt) + MEDIA_ID_LIFETIME_MS;
}

export type MediaNextStep = { readonly retryAt: number } | { readonly giveUp: true };

/**
 * After failed attempt number `attempts` (1 for the first): the next try, or give up when it would
 * fall past `giveUpAt`. `random` in [0, 1) spreads retries of many items (full jitter on half the delay).
 */
export function nextMediaStep(
  attempts: number,
  now: number,
  giveUpAt: number,
  random: number,
): MediaNextStep {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const delay = Math.round(base / 2 + (base / 2) * random);
  const at = now + delay;
  if (now >= giveUpAt) return { giveUp: true };
  return { retryAt: Math.min(at, giveUpAt) };
}

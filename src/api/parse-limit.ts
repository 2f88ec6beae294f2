/** `?limit=` → 1..max (default when absent), or null when invalid. */
export function parseLimit(raw: string | null, fallback = 50, max = 1000): number | null {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : null;
}

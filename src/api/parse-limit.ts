import type { ApiParam } from './api-router.js';

/** `?limit=` → 1..max (default when absent), or null when invalid. */
export function parseLimit(raw: string | null, fallback = 50, max = 1000): number | null {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : null;
}

/** `limit` and `cursor` of the newest-first listings, as their OpenAPI documents show them. */
export const PAGE_PARAMS: readonly ApiParam[] = [
  {
    name: 'limit',
    description: 'Page size, default 50',
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
  },
  { name: 'cursor', description: 'next_cursor of the previous page' },
];

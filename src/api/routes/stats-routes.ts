import type { ReadStore } from '../../ports/read-store.js';
import type { ApiRoute } from '../api-router.js';
import { sendError, sendJson } from '../send.js';
import { errorPolicy } from '../../core/error-policy.js';

const MAX_BUCKETS = 2000;
const DEFAULT_RANGE_MS = 3_600_000;

/** `since` and `bucket_seconds` of GET /api/v1/stats, or the message naming the one that is invalid. */
export function parseStatsQuery(
  query: URLSearchParams,
  now: number,
): { since: number; bucketMs: number } | { error: string } {
  const rawBucket = query.get('bucket_seconds') ?? '60';
  if (!/^\d{1,6}$/.test(rawBucket) || Number(rawBucket) < 1 || Number(rawBucket) > 86_400)
    return { error: 'bucket_seconds must be an integer from 1 to 86400' };
  const bucketMs = Number(rawBucket) * 1000;
  const rawSince = query.get('since');
  let since = now - DEFAULT_RANGE_MS;
  if (rawSince !== null) {
    since = /^\d{4}-\d\d-\d\dT/.test(rawSince) ? Date.parse(rawSince) : NaN;
    if (Number.isNaN(since)) return { error: 'since must be an ISO 8601 time, e.g. 2026-01-01T00:00:00Z' };
  }
  // Start on a bucket boundary, so the first bucket is whole.
  since = Math.floor(since / bucketMs) * bucketMs;
  if ((now - since) / bucketMs > MAX_BUCKETS)
    return { error: `since and bucket_seconds make more than ${MAX_BUCKETS} buckets: widen bucket_seconds` };
  return { since, bucketMs };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** GET /api/v1/stats: time-bucketed counts for charts (the dashboard's overview and failures screens). */
export function statsRoutes(store: ReadStore, now: () => number): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/stats',
      summary:
        'Counts for charts: events by name and failed-message errors by code (with the error policy) per time bucket, messages by pricing category',
      params: [
        {
          name: 'since',
          description: 'Start (ISO 8601, rounded down to a bucket); default one hour ago',
          schema: { type: 'string', format: 'date-time' },
        },
        {
          name: 'bucket_seconds',
          description: 'Width of a bucket in seconds (default 60); at most 2000 buckets',
          schema: { type: 'integer', minimum: 1, maximum: 86400 },
        },
      ],
      responses: {
        '200': { description: 'Counts per bucket', schema: 'Stats' },
        '400': { description: 'A parameter is invalid; the message names it', schema: 'Error' },
      },
      handler: async ({ res, query }) => {
        const parsed = parseStatsQuery(query, now());
        if ('error' in parsed) return sendError(res, 'BAD_REQUEST', parsed.error);
        const s = await store.stats(parsed);
        sendJson(res, 200, {
          since: iso(parsed.since),
          bucket_seconds: parsed.bucketMs / 1000,
          events: s.events.map((e) => ({ at: iso(e.bucket), name: e.name, count: e.count })),
          failures: s.failures.map((f) => {
            const p = errorPolicy(f.code);
            return {
              at: iso(f.bucket),
              code: f.code,
              count: f.count,
              category: p.category,
              action: p.action,
              meaning: p.meaning,
            };
          }),
          pricing: s.pricing,
        });
      },
    },
  ];
}

/** Loads fixtures/payloads/<field>/<variant>.json for tests and benchmarks. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDelivery } from '../../src/core/parse-delivery.js';
import { normalizeDelivery } from '../../src/core/normalize-delivery.js';
import type { AnyWharfEvent } from '../../src/events/wharf-event.js';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../fixtures/payloads/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return name.endsWith('.json') ? [p] : [];
  });
}

/** Paths relative to fixtures/payloads/, sorted. */
export function fixturePaths(): string[] {
  return walk(FIXTURE_ROOT)
    .map((p) => relative(FIXTURE_ROOT, p).split('\\').join('/'))
    .sort();
}

export function fixtureBytes(path: string): Buffer {
  return readFileSync(join(FIXTURE_ROOT, path));
}

export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureBytes(path).toString('utf8')) as unknown;
}

/** parse + normalize; throws if the fixture is not a valid delivery. */
export function eventsOf(path: string): readonly AnyWharfEvent[] {
  const parsed = parseDelivery(fixtureBytes(path));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error.message}`);
  return normalizeDelivery(parsed.envelope);
}

export function nameCounts(events: readonly AnyWharfEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.name] = (counts[e.name] ?? 0) + 1;
  return counts;
}

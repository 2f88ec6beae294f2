/**
 * WHARF_DESTINATIONS_FILE: destinations as code, applied at start and matched by
 * `name` — created when new, changed when present (their secrets are kept). The whole file is
 * checked before anything is applied; a problem stops start-up with the file, line and field named.
 */
import { readFileSync } from 'node:fs';
import { WharfError } from '../errors.js';
import { jsonErrorOffset } from '../core/json-error-offset.js';
import { parseDestinationInput } from '../core/destinations/parse-destination-input.js';
import {
  createDestination,
  updateDestination,
  type DestinationUseCaseDeps,
} from './destination-use-cases.js';

export interface AppliedFile {
  readonly created: readonly string[];
  readonly updated: readonly string[];
}

const lineAt = (text: string, index: number) => text.slice(0, Math.max(0, index)).split('\n').length;

/** The line where entry `name` is declared (its "name" key), else where the list starts. */
function lineOf(text: string, name: unknown): number {
  if (typeof name !== 'string') return 1;
  const i = text.search(
    new RegExp(`"name"\\s*:\\s*${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  return i < 0 ? 1 : lineAt(text, i);
}

function fail(path: string, line: number, what: string): never {
  throw new WharfError('CONFIG_INVALID', `WHARF_DESTINATIONS_FILE ${path} line ${line}: ${what}`);
}

/** Reads and checks the file: the list of entries, each a destination body as the API takes it. */
export function readDestinationsFile(path: string): {
  text: string;
  entries: Array<Record<string, unknown>>;
} {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WharfError('CONFIG_INVALID', `WHARF_DESTINATIONS_FILE ${path} cannot be read`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(
      path,
      lineAt(text, jsonErrorOffset(text) ?? 0),
      `not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const list = Array.isArray(json) ? json : (json as { destinations?: unknown } | null)?.destinations;
  if (!Array.isArray(list)) fail(path, 1, 'must be an array of destinations, or {"destinations": [...]}');
  const names = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const name = (entry as { name?: unknown } | null)?.name;
    const line = lineOf(text, name);
    const parsed = parseDestinationInput(entry, 'create');
    if (!parsed.ok)
      fail(path, line, `destination ${i + 1}: ${parsed.problem.field} ${parsed.problem.message}`);
    if (names.has(name as string))
      fail(path, line, `destination ${i + 1}: name ${JSON.stringify(name)} appears twice`);
    names.add(name as string);
  });
  return { text, entries: list as Array<Record<string, unknown>> };
}

export async function applyDestinationsFile(
  deps: DestinationUseCaseDeps,
  path: string,
): Promise<AppliedFile> {
  const { text, entries } = readDestinationsFile(path);
  const created: string[] = [];
  const updated: string[] = [];
  for (const entry of entries) {
    const name = entry['name'] as string;
    try {
      const existing = await deps.store.getByName(name);
      if (existing === null) {
        await createDestination(deps, entry);
        created.push(name);
      } else {
        await updateDestination(deps, existing.id, entry);
        updated.push(name);
      }
    } catch (err) {
      if (err instanceof WharfError && err.code !== 'CONFIG_INVALID')
        fail(path, lineOf(text, name), `destination ${JSON.stringify(name)}: ${err.message}`);
      throw err;
    }
  }
  return { created, updated };
}

/**
 * What each `wharf destinations` subcommand does, over a running Wharf's /api/v1/destinations
 * (docs/destinations.md): each returns its exit code, or throws UsageError (exit 2) or
 * WharfApiError (exit 1) for the command to print.
 */
import { readFileSync } from 'node:fs';
import {
  callApi,
  errorMessage,
  wharfBase,
  WharfApiError,
  type ApiAnswer,
  type WharfApi,
} from '../wharf-api.js';
import { destinationBody, destinationsFromFile, type CreateFlags } from './destination-body.js';
import { destinationBlock, destinationsTable } from './destination-table.js';
import { parseIsoTime } from '../../core/replay-request.js';
import { cliTarget } from '../commands/cli-target.js';

export interface CommonFlags {
  from?: string;
  apiToken?: string;
  json?: boolean;
}
type Json = Record<string, unknown>;
const io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) };
const PATH = '/api/v1/destinations';

/** A usage error (exit 2), told apart from Wharf refusing or being away (exit 1). */
export class UsageError extends Error {}

/** The Wharf of --from / --api-token, else the local one from config. */
function apiOf(flags: CommonFlags): WharfApi {
  const target = flags.from === undefined || flags.apiToken === undefined ? cliTarget() : undefined;
  try {
    return {
      base: wharfBase(flags.from ?? target?.apiBase ?? ''),
      token: flags.apiToken ?? target?.apiToken,
    };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Every destination, page after page. */
async function listAll(api: WharfApi): Promise<Json[]> {
  const all: Json[] = [];
  let cursor: string | null = null;
  do {
    const a: ApiAnswer = await callApi(
      api,
      'GET',
      cursor ? `${PATH}?cursor=${encodeURIComponent(cursor)}` : PATH,
    );
    if (a.status !== 200) throw new WharfApiError(`listing destinations failed: ${errorMessage(a)}`);
    const body = a.json as { data?: Json[]; next_cursor?: string | null } | Json[];
    const page = Array.isArray(body) ? body : (body.data ?? []);
    all.push(...page);
    cursor = Array.isArray(body) ? null : (body.next_cursor ?? null);
  } while (cursor !== null);
  return all;
}

/** A destination named by id or by name (names are unique). */
async function resolve(api: WharfApi, ref: string): Promise<Json> {
  const found = (await listAll(api)).find((d) => d['id'] === ref || d['name'] === ref);
  if (!found)
    throw new WharfApiError(
      `no destination has the id or name "${ref}" (wharf destinations list shows them)`,
    );
  return found;
}

const idPath = (d: Json, suffix = '') => `${PATH}/${encodeURIComponent(String(d['id']))}${suffix}`;

export async function list(flags: CommonFlags): Promise<number> {
  const all = await listAll(apiOf(flags));
  io.out(flags.json ? JSON.stringify(all, null, 2) : destinationsTable(all));
  return 0;
}

export async function create(flags: CreateFlags & CommonFlags & { file?: string }): Promise<number> {
  let bodies: Json[];
  try {
    bodies = flags.file
      ? destinationsFromFile(flags.file, readFileSync(flags.file, 'utf8'))
      : [destinationBody(flags)];
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const api = apiOf(flags);
  let failed = 0;
  for (const body of bodies) {
    const a = await callApi(api, 'POST', PATH, body);
    const name = String(body['name'] ?? '(no name)');
    if (a.status !== 201 && a.status !== 200) {
      failed++;
      const why = a.status === 409 ? `a destination named "${name}" exists already` : errorMessage(a);
      io.err(`wharf destinations create: Wharf refused "${name}" (${a.status}): ${why}`);
      continue;
    }
    const d = a.json as Json;
    if (flags.json) io.out(JSON.stringify(d, null, 2));
    else {
      io.out(`Created destination "${name}".\n${destinationBlock(d)}`);
      io.out(
        `\nSigning secret: ${String(d['secret'])}\nIt is shown only now (and on rotate): keep it where your receiver reads it.`,
      );
    }
  }
  return failed === 0 ? 0 : 1;
}

export async function test(ref: string, flags: CommonFlags): Promise<number> {
  const api = apiOf(flags);
  const d = await resolve(api, ref);
  const a = await callApi(api, 'POST', idPath(d, '/test'));
  if (a.status !== 200) throw new WharfApiError(`test of "${String(d['name'])}" failed: ${errorMessage(a)}`);
  const r = a.json as Json;
  if (flags.json) io.out(JSON.stringify(r, null, 2));
  else {
    const status = r['status'] === null || r['status'] === undefined ? '' : `${String(r['status'])} `;
    const took = `in ${String(r['duration_ms'])} ms`;
    io.out(
      r['ok'] === true
        ? `✔ ${String(d['name'])} took the sample event: ${status}${took}`
        : `✘ ${String(d['name'])} did not take the sample event: ${status}${String(r['error'] ?? '')} (${took})`,
    );
    const excerpt =
      typeof r['response_excerpt'] === 'string' ? r['response_excerpt'].replace(/\s+/g, ' ').trim() : '';
    // One line: the receiver's answer may be a whole HTML error page.
    if (excerpt !== '') io.out(`  answer: ${excerpt.length > 160 ? `${excerpt.slice(0, 159)}…` : excerpt}`);
  }
  return r['ok'] === true ? 0 : 1;
}

export async function remove(ref: string, flags: CommonFlags): Promise<number> {
  const api = apiOf(flags);
  const d = await resolve(api, ref);
  const a = await callApi(api, 'DELETE', idPath(d));
  if (a.status !== 204 && a.status !== 200)
    throw new WharfApiError(`deleting "${String(d['name'])}" failed: ${errorMessage(a)}`);
  io.out(
    flags.json
      ? JSON.stringify({ deleted: d['id'] })
      : `Deleted destination "${String(d['name'])}" (${String(d['id'])}).`,
  );
  return 0;
}

export async function replay(
  ref: string,
  flags: CommonFlags & { since?: string; until?: string; failedOnly?: boolean },
): Promise<number> {
  const since = parseIsoTime('--since', flags.since);
  if (!since.ok) throw new UsageError(since.error);
  const until = parseIsoTime('--until', flags.until);
  if (!until.ok) throw new UsageError(until.error);
  if (since.value >= until.value) throw new UsageError('--since must be earlier than --until');
  const api = apiOf(flags);
  const d = await resolve(api, ref);
  const body = {
    from: new Date(since.value).toISOString(),
    to: new Date(until.value).toISOString(),
    failed_only: flags.failedOnly === true,
  };
  const a = await callApi(api, 'POST', idPath(d, '/replay'), body);
  if (a.status < 200 || a.status > 299)
    throw new WharfApiError(`replay to "${String(d['name'])}" failed: ${errorMessage(a)}`);
  const queued = (a.json as { queued?: unknown } | null)?.queued;
  const what = flags.failedOnly ? 'failed events' : 'events';
  io.out(
    flags.json
      ? JSON.stringify(a.json, null, 2)
      : `Replay to "${String(d['name'])}" from ${body.from} to ${body.to}: ${typeof queued === 'number' ? `${queued} ${what} queued` : `the ${what} are queued`}.`,
  );
  return 0;
}

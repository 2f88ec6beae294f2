/**
 * Destinations as the API returns them (docs/destinations.md, snake_case) → text for a person: a table for
 * `list`, a block for one destination. Pure. Kind settings are read beside the common fields and,
 * should the API nest them, under `settings`.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** A kind setting of the destination, wherever the API put it. */
export function setting(d: Json, key: string): string | undefined {
  return str(d[key]) ?? str(obj(d['settings'])[key]);
}

/** Where the destination sends: its URL, subject, exchange/routing key, stream or address. */
export function targetOf(d: Json): string {
  const exchange = setting(d, 'exchange');
  if (exchange !== undefined) return `${exchange} / ${setting(d, 'routing_key') ?? ''}`;
  return (
    setting(d, 'url') ??
    setting(d, 'subject') ??
    setting(d, 'stream') ??
    setting(d, 'to') ??
    setting(d, 'table') ??
    '-'
  );
}

export function stateOf(d: Json): string {
  if (d['enabled'] !== false) return 'enabled';
  const reason = str(d['disabled_reason']);
  return reason ? `disabled (${reason})` : 'disabled';
}

export function eventsOf(d: Json): string {
  const events = obj(d['filter'])['events'];
  return Array.isArray(events) && events.length > 0 ? events.join(',') : 'all but wharf.*';
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function destinationsTable(destinations: readonly Json[]): string {
  if (destinations.length === 0)
    return 'No destinations yet. Create one with: wharf destinations create --name crm --kind http --url https://…';
  return table(
    ['ID', 'NAME', 'KIND', 'FORMAT', 'STATE', 'EVENTS', 'TARGET'],
    destinations.map((d) => [
      str(d['id']) ?? '-',
      str(d['name']) ?? '-',
      str(d['kind']) ?? '-',
      str(d['format']) ?? 'event',
      stateOf(d),
      eventsOf(d),
      targetOf(d),
    ]),
  );
}

/** One destination, field by field, as after `create`. */
export function destinationBlock(d: Json): string {
  const f = obj(d['filter']);
  const rows: [string, string | undefined][] = [
    ['id', str(d['id'])],
    ['name', str(d['name'])],
    ['kind', str(d['kind'])],
    ['target', targetOf(d)],
    ['state', stateOf(d)],
    ['format', str(d['format'])],
    ['events', eventsOf(d)],
    ...(['phone_number_ids', 'waba_ids', 'error_codes', 'error_actions'] as const).map(
      (k): [string, string | undefined] => [
        k,
        Array.isArray(f[k]) ? (f[k] as unknown[]).join(',') : undefined,
      ],
    ),
    ['ordering', str(d['ordering'])],
    ['timeout_ms', str(d['timeout_ms'])],
    ['max_in_flight', str(d['max_in_flight'])],
    ['rate_limit_per_second', str(d['rate_limit_per_second'])],
    ['created_at', str(d['created_at'])],
  ];
  return table(
    ['FIELD', 'VALUE'],
    rows.filter((r): r is [string, string] => r[1] !== undefined),
  );
}

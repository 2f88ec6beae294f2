import { snakeCaseKeys } from '../events/snake-case-keys.js';

/**
 * Maps in the commands' results whose keys are data, not field names: wamids (`messageStatus`),
 * event names (`events`), HTTP statuses (`byStatus`) and error codes such as ECONNREFUSED (`errors`).
 */
const KEYED_BY_DATA: ReadonlySet<string> = new Set(['messageStatus', 'events', 'byStatus', 'errors']);

/** `--json` output: snake_case like every JSON Wharf emits (the API, the stream), indented for people. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(snakeCaseKeys(value, KEYED_BY_DATA), null, 2) + '\n');
}

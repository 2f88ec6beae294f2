import { closest, distance } from 'fastest-levenshtein';

/** Prefixes of Wharf's own variables: a name with one of them that Wharf does not read is likely a typo. */
const PREFIXES = ['WHARF_', 'WHATSAPP_'] as const;

/**
 * Variables with those prefixes that Wharf's test suite and benchmarks read (never the service):
 * known, so a developer running the tests is not told they are typos.
 */
export const TOOLING_VARIABLES: readonly string[] = [
  'WHARF_TEST_DATABASE_URL',
  'WHARF_REQUIRE_POSTGRES',
  'WHARF_REQUIRE_SERVICES',
  'WHARF_TEST_NATS_URL',
  'WHARF_TEST_AMQP_URL',
  'WHARF_TEST_REDIS_URL',
  'WHARF_TEST_MYSQL_URL',
  'WHARF_BENCH_PINNED',
];

/** Past this many edits the closest name is no longer a plausible typo, and suggesting it would mislead. */
const MAX_EDITS = 3;

/**
 * One warning per variable named WHARF_… or WHATSAPP_… that is neither a setting nor a tooling
 * variable, naming the closest known setting when it is a few edits away. Without it a typo
 * (`WHATSAPP_APP_SECRETS`) is silently ignored and its default used. Sorted, so the output is stable.
 */
export function unknownVariableWarnings(names: Iterable<string>, settings: readonly string[]): string[] {
  const known = new Set([...settings, ...TOOLING_VARIABLES]);
  return [...new Set(names)]
    .filter((name) => PREFIXES.some((p) => name.startsWith(p)) && !known.has(name))
    .sort()
    .map((name) => {
      const nearest = settings.length > 0 ? closest(name, [...settings]) : undefined;
      const hint =
        nearest !== undefined && distance(name, nearest) <= MAX_EDITS ? ` Did you mean ${nearest}?` : '';
      return `${name} is set but is not a Wharf setting, so it is ignored.${hint} Every setting: docs/operations.md.`;
    });
}

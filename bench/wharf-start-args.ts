/**
 * The node arguments that run `wharf start` from this checkout, after the node flags in
 * BENCH_WHARF_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses:
 * a profile of every thread of Wharf's process).
 */
export function wharfStartArgs(): string[] {
  const nodeArgs = (process.env['BENCH_WHARF_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  return [...nodeArgs, '--import', 'tsx', 'src/cli/bin.ts', 'start'];
}

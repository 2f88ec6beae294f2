/**
 * The node arguments that run `wharf start` from this checkout, after the node flags in
 * BENCH_WHARF_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses:
 * a profile of every thread of Wharf's process). `src` (the default): the TypeScript sources
 * through tsx, as the benchmarks run it; `dist`: the built code that `npm start` runs (build it
 * first: `npm run build`).
 */
export function wharfStartArgs(cli: 'src' | 'dist' = 'src'): string[] {
  const nodeArgs = (process.env['BENCH_WHARF_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const entry = cli === 'dist' ? ['dist/src/cli/bin.js'] : ['--import', 'tsx', 'src/cli/bin.ts'];
  return [...nodeArgs, ...entry, 'start'];
}

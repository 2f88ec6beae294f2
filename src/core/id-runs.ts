/**
 * Runs of consecutive integers as inclusive [from, to] pairs, in order of the sorted distinct
 * input: [3, 1, 2, 7] → [[1, 3], [7, 7]]. A run names exactly its members, so a statement over
 * `id BETWEEN from AND to` touches no other row.
 */
export function idRuns(ids: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

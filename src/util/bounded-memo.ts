/**
 * `compute` remembered by key. The memory is emptied when it holds `limit` keys, so keys that come
 * from data (not from a small set of names or settings) cannot grow it without bound.
 */
export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const memory = new Map<K, V>();
  return (key) => {
    if (memory.has(key)) return memory.get(key) as V;
    const value = compute(key);
    if (memory.size >= limit) memory.clear();
    memory.set(key, value);
    return value;
  };
}

/**
 * Ports opened on first use and closed together, in the reverse order of opening (what was opened
 * last may use what was opened first). Shared by every adapter's open-storage.ts.
 */
export interface LazyPorts<T extends Record<string, { close(): Promise<void> }>> {
  get<K extends keyof T>(name: K): T[K];
  closeAll(): Promise<void>;
}

export function lazyPorts<T extends Record<string, { close(): Promise<void> }>>(makers: {
  readonly [K in keyof T]: () => T[K];
}): LazyPorts<T> {
  const opened = new Map<keyof T, T[keyof T]>();
  let closed = false;
  return {
    get(name) {
      if (closed) throw new Error(`storage is closed: ${String(name)} cannot be opened`);
      let port = opened.get(name) as T[typeof name] | undefined;
      if (port === undefined) {
        port = makers[name]();
        opened.set(name, port);
      }
      return port;
    },
    async closeAll() {
      closed = true;
      for (const port of [...opened.values()].reverse()) await port.close();
      opened.clear();
    },
  };
}

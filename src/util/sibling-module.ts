import { Worker, type WorkerOptions } from 'node:worker_threads';

/** URL of a module next to `base`, with the same extension (.ts under tsx, .js when built). */
export function siblingModule(base: string, name: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}

/**
 * Starts a worker thread from a module next to `base`. Built code (.js) starts directly; under
 * tsx (tests, development) Node 20 does not carry the TypeScript loader into workers, so the
 * worker first registers it and then imports the .ts module.
 */
export function startSiblingWorker(base: string, name: string, options: WorkerOptions): Worker {
  const url = siblingModule(base, name);
  if (!base.endsWith('.ts')) return new Worker(url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api';

export type Loadable<T> =
  { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: ApiError | Error };

/** GETs `path` (again when it or `tick` changes); `reload` fetches it again. */
export function useApi<T>(path: string | null, tick = 0): [Loadable<T>, () => void] {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    api<T>(path).then(
      (data) => live && setValue({ state: 'ok', data }),
      (error: Error) => live && setValue({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [path, tick, n]);
  return [value, useCallback(() => setN((x) => x + 1), [])];
}

/** The router's 404 for a path no route has (an older server), as opposed to a thing not found. */
export function routeMissing(error: Error): boolean {
  return error instanceof ApiError && error.status === 404 && /no \/api\/v1 route/.test(error.message);
}

/** What a failed read shows: a route this server lacks is said plainly, never faked. */
export function Problem({ error, what }: { error: Error; what?: string }) {
  if (routeMissing(error) && what)
    return (
      <p class="notice" role="status">
        {what} is not available on this server (its API route answered 404).
      </p>
    );
  return (
    <p class="error" role="alert">
      {error instanceof ApiError ? `${error.status} ${error.code}: ` : ''}
      {error.message}
    </p>
  );
}

export function Show<T>({
  value,
  what,
  children,
}: {
  value: Loadable<T>;
  what?: string;
  children: (data: T) => ComponentChildren;
}) {
  if (value.state === 'loading') return <p aria-busy="true">Loading…</p>;
  if (value.state === 'error') return <Problem error={value.error} {...(what ? { what } : {})} />;
  return <>{children(value.data)}</>;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false });
}

export function timeOnly(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(undefined, { hour12: false });
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <details>
      <summary>{label}</summary>
      <pre class="json" tabIndex={0}>
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function link(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** Cursor paging: the pages seen so far are kept, so "Previous" goes back without a second cursor. */
export function useCursor(): {
  cursor: string | null;
  next: (c: string) => void;
  prev: (() => void) | null;
  reset: () => void;
} {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    cursor: stack[stack.length - 1] ?? null,
    next: (c) => setStack((s) => [...s, c]),
    prev: stack.length > 1 ? () => setStack((s) => s.slice(0, -1)) : null,
    reset: () => setStack([null]),
  };
}

export function Pager({
  nextCursor,
  paging,
}: {
  nextCursor: string | null;
  paging: ReturnType<typeof useCursor>;
}) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={paging.prev === null} onClick={() => paging.prev?.()}>
        ← Newer
      </button>
      <button
        type="button"
        disabled={nextCursor === null}
        onClick={() => nextCursor && paging.next(nextCursor)}
      >
        Older →
      </button>
    </nav>
  );
}

import { useCallback, useEffect, useState } from 'react';

/** The state of one read: its data once loaded, the last error, and a reload. */
export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `fetcher()` when `key` changes, and again every `refreshMs` if given (the dashboard and
 * queues stay current without a page reload). A stale answer never overwrites a newer one.
 */
export function useLoad<T>(key: string, fetcher: () => Promise<T>, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what fetcher reads; tick forces a reload.
  useEffect(() => {
    let live = true;
    setLoading(true);
    fetcher().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const t = setInterval(reload, refreshMs);
    return () => clearInterval(t);
  }, [refreshMs, reload]);

  return { data, error, loading, reload };
}

/** The hash route: `#/orders?q=%231001` -> { page: 'orders', params }. */
export interface Route {
  page: string;
  params: URLSearchParams;
}

function readRoute(): Route {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [page = '', search = ''] = hash.split('?');
  return { page: page || 'dashboard', params: new URLSearchParams(search) };
}

/** Follows the location hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const on = () => setRoute(readRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Moves to a page, e.g. navigate('orders', { q: '#1001' }). */
export function navigate(page: string, params: Record<string, string> = {}): void {
  const q = new URLSearchParams(params).toString();
  window.location.hash = `/${page}${q ? `?${q}` : ''}`;
}

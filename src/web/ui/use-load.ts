import { useCallback, useEffect, useState } from 'react';
import type { Problem } from '../api/client';
import type { Outcome } from './problem';

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads what a page shows; `reload` after a change. A slower older answer never overwrites a newer
 * one (the page moved on to another record meanwhile).
 */
export function useLoad<T>(load: () => Promise<Outcome<T>>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; problem: Problem | null; loading: boolean }>({
    data: null,
    problem: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    void load().then((result) => {
      if (!live) return;
      setState(
        result.problem ? { data: null, problem: result.problem, loading: false } : { data: result.data, problem: null, loading: false },
      );
    });
    return () => {
      live = false;
    };
  }, [...deps, generation]);
  return { ...state, reload };
}

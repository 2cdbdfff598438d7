import { useCallback, useEffect, useRef, useState } from 'react';
import type { Problem } from '../../api/client';

/** One page of a keyset list as the API answers it. */
export interface KeysetPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** What a page shows when fetch itself failed (the network, not the API). */
export const UNREACHABLE: Problem = {
  status: 0,
  code: 'unreachable',
  detail: 'Reconnect could not be reached. Check the connection and try again.',
};

export type PageResult<T> = { page: KeysetPage<T> } | { problem: Problem };

/**
 * A keyset-paged list, one page at a time: the cursors of the pages seen are kept, so Previous goes back
 * without any count or offset query. `reloadKey` starts again from the first page when it changes.
 */
export function useKeysetPages<T>(fetchPage: (cursor: string | undefined) => Promise<PageResult<T>>, reloadKey: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<KeysetPage<T> | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  // The latest fetcher, read when a page is due: its inputs change only with reloadKey.
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  useEffect(() => setCursors([undefined]), [reloadKey]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    let live = true;
    setLoading(true);
    void fetcher
      .current(cursor)
      .catch((): PageResult<T> => ({ problem: UNREACHABLE }))
      .then((result) => {
        if (!live) return;
        setLoading(false);
        if ('page' in result) {
          setPage(result.page);
          setProblem(null);
        } else setProblem(result.problem);
      });
    return () => {
      live = false;
    };
  }, [cursor, reloadKey]);

  const next = useCallback(() => {
    if (page?.nextCursor) setCursors((seen) => [...seen, page.nextCursor ?? undefined]);
  }, [page]);
  const previous = useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []);
  return {
    page,
    problem,
    loading,
    pageNumber: cursors.length,
    next,
    previous,
    hasNext: Boolean(page?.nextCursor),
    hasPrevious: cursors.length > 1,
  };
}

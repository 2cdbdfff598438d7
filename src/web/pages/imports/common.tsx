import type { Problem } from '../../api/client';

/** An API refusal as a person reads it: its detail, then each field (and line) it names. */
export function ProblemMessage({ problem, id }: { problem: Problem; id?: string }) {
  const errors = (problem.errors ?? []) as { field?: string; line?: number; message?: string }[];
  return (
    <div className="problem" role="alert" id={id} tabIndex={-1}>
      <p>{problem.detail ?? problem.title ?? `The service answered ${problem.status}.`}</p>
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>
              {e.line !== undefined && <>Line {e.line}: </>}
              {e.field && <strong>{e.field}</strong>} {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Previous / next for a keyset list: no page count, as keyset paging has none. */
export function Pager({
  label,
  pageNumber,
  hasPrevious,
  hasNext,
  previous,
  next,
}: {
  label: string;
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="secondary" onClick={previous} disabled={!hasPrevious}>
        Previous page
      </button>
      <span>Page {pageNumber}</span>
      <button type="button" className="secondary" onClick={next} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { api, asProblem, type Problem, type Schemas } from '../../api/client';
import { Link } from '../../router';
import { useSession } from '../../session';
import { useAnnounce } from '../../shell/announcer';
import { ProblemMessage } from './common';
import { ConfirmWithdrawals, RowErrors, Suggestions, Withdrawals } from './import-tables';
import { UNREACHABLE } from './keyset';
import { formatBytes, formatWhen, isRunning, kindLabel, STAT_LABELS, STATUS_LABELS } from './words';
import './imports.css';

type ImportView = Schemas['ImportDto'];

/** How often a running import is asked for its progress. */
const POLL_MS = 1000;

/** In words, for the live region and the page: what the import did. */
function outcome(view: ImportView): string {
  const c = view.counts;
  const what = `${c.rows} ${c.rows === 1 ? 'row' : 'rows'}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.failed} failed`;
  switch (view.status) {
    case 'completed':
      return `${view.dryRun ? 'Dry run finished' : 'Import completed'}. ${what}.`;
    case 'needs_confirmation':
      return `Import waiting for confirmation of ${view.stats['withdrawalsPending'] ?? 0} withdrawals. ${what}.`;
    case 'failed':
      return `Import failed. ${view.errorSummary ?? ''}`;
    case 'queued':
    case 'running':
      return `Import ${STATUS_LABELS[view.status].toLowerCase()}.`;
  }
}

/**
 * /imports/{id}: one import, followed while it runs (a progress bar, polling the API), then its counts,
 * row errors (paged, downloadable as CSV), the assignments it suggests and the students it withdraws,
 * with the confirmation a bulk roster may wait for.
 */
export function ImportPage({ id }: { id: string }) {
  const session = useSession();
  const announce = useAnnounce();
  const ids = useId();
  const [view, setView] = useState<ImportView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [reload, setReload] = useState(0);
  const lastStatus = useRef<ImportView['status'] | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const { data, error, response } = await api.GET('/api/v1/imports/{id}', { params: { path: { id } } });
        if (!live) return;
        if (!data) {
          setProblem(asProblem(error, response));
          return;
        }
        setProblem(null);
        setView(data);
        // Told once, when it ends while the page is watching it.
        if (lastStatus.current && isRunning(lastStatus.current) && !isRunning(data.status)) announce(outcome(data));
        lastStatus.current = data.status;
        if (isRunning(data.status)) timer = setTimeout(() => void load(), POLL_MS);
      } catch {
        if (!live) return;
        setProblem(UNREACHABLE);
        // A dropped connection does not stop the watch.
        timer = setTimeout(() => void load(), POLL_MS * 5);
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, reload, announce]);

  if (!view)
    return (
      <>
        <h1>Import</h1>
        {problem ? <ProblemMessage problem={problem} /> : <p aria-busy="true">Loading…</p>}
        <p>
          <Link to="/imports">All imports</Link>
        </p>
      </>
    );

  const running = isRunning(view.status);
  const stats = Object.entries(view.stats).filter(([, n]) => typeof n === 'number');
  const suggested = (view.stats['suggestions'] ?? 0) + (view.stats['holderSuggestions'] ?? 0);
  const withdrawals =
    view.status === 'needs_confirmation' || (view.stats['withdrawn'] ?? 0) > 0 || (view.stats['withdrawalsPending'] ?? 0) > 0;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/imports">Imports</Link> › {view.fileName}
      </p>
      <h1>
        {kindLabel(view.kind)}: {view.fileName}
        {view.dryRun && <span className="tag">dry run</span>}
      </h1>
      {problem && <ProblemMessage problem={problem} />}
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${view.status}`}>{STATUS_LABELS[view.status]}</span>
          </dd>
        </div>
        <div>
          <dt>File</dt>
          <dd>
            {formatBytes(view.fileSize)}, {view.origin === 'cli' ? 'from the command line' : 'uploaded'}
          </dd>
        </div>
        <div>
          <dt>Recorded</dt>
          <dd>{formatWhen(view.createdAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{formatWhen(view.finishedAt)}</dd>
        </div>
      </dl>

      <section aria-labelledby={`${ids}-progress`}>
        <h2 id={`${ids}-progress`}>Progress</h2>
        <div className="progress-row">
          <progress id={`${ids}-bar`} max={1} value={view.progress} aria-labelledby={`${ids}-progress`} />
          <span>{Math.floor(view.progress * 100)} %</span>
        </div>
        <p className="outcome">{running && view.status === 'queued' ? 'Waiting for a worker to start it…' : outcome(view)}</p>
        {view.status === 'failed' && view.errorSummary && <p className="problem">{view.errorSummary}</p>}
      </section>

      <section aria-labelledby={`${ids}-counts`}>
        <h2 id={`${ids}-counts`}>Counts</h2>
        <dl className="counts">
          {(['rows', 'created', 'updated', 'unchanged', 'failed', 'skipped'] as const).map((key) => (
            <div key={key} className={key === 'failed' && view.counts.failed > 0 ? 'bad' : undefined}>
              <dt>{key === 'rows' ? 'Rows read' : key[0]!.toUpperCase() + key.slice(1)}</dt>
              <dd>{view.counts[key]}</dd>
            </div>
          ))}
          {stats.map(([key, n]) => (
            <div key={key}>
              <dt>{STAT_LABELS[key] ?? key}</dt>
              <dd>{n}</dd>
            </div>
          ))}
        </dl>
        {view.warnings.length > 0 && (
          <>
            <h3>Columns not used</h3>
            <ul className="warnings">
              {view.warnings.map((w, i) => (
                <li key={i}>
                  {w.part && <>{w.part}: </>}
                  <strong>{w.column}</strong> — {w.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {!running && <RowErrors importId={view.id} failed={view.counts.failed} omitted={view.errorsOmitted} />}
      {!running && suggested > 0 && <Suggestions importId={view.id} canIssue={session.can('custody') && !view.dryRun} />}
      {!running && withdrawals && <Withdrawals importId={view.id} view={view} />}
      {view.status === 'needs_confirmation' && session.can('confirmImports') && (
        <ConfirmWithdrawals view={view} onConfirmed={() => setReload((n) => n + 1)} />
      )}
    </>
  );
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, asProblem, idempotencyKey, type Problem, type Schemas } from '../../api/client';
import { Link } from '../../router';
import { useAnnounce } from '../../shell/announcer';
import { Pager, ProblemMessage } from './common';
import { UNREACHABLE, useKeysetPages, type PageResult } from './keyset';
import { SUGGESTION_BASES } from './words';

type ImportView = Schemas['ImportDto'];
type RowError = Schemas['ImportErrorDto'];
type Suggestion = Schemas['SuggestionDto'];
type Withdrawal = Schemas['WithdrawalDto'];

const PAGE_SIZE = 50;

/** The row errors as the API lists them (file order), a page at a time, and all of them as a CSV download. */
export function RowErrors({ importId, failed, omitted }: { importId: string; failed: number; omitted: number }) {
  const ids = useId();
  const list = useKeysetPages<RowError>(async (cursor): Promise<PageResult<RowError>> => {
    const { data, error, response } = await api.GET('/api/v1/imports/{id}/errors', {
      params: { path: { id: importId }, query: { limit: PAGE_SIZE, cursor } },
    });
    // The route also answers text/csv (the download below); asked without it, the answer is the JSON page.
    return data && typeof data !== 'string' ? { page: data } : { problem: asProblem(error, response) };
  }, importId);
  const rows = list.page?.data ?? [];
  // JSON input names items, CSV input lines; a zip names the file inside it.
  const byItem = rows.some((r) => r.item !== null);
  const withPart = rows.some((r) => r.part !== null);
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Row errors</h2>
      {list.problem && <ProblemMessage problem={list.problem} />}
      {list.page && rows.length === 0 && <p>No row errors.</p>}
      {rows.length > 0 && (
        <>
          <p>
            {failed} {failed === 1 ? 'row was' : 'rows were'} skipped for the errors below; fix them in the file and load it again (rows
            already imported are left as they are).
            {omitted > 0 && ` ${omitted} further errors were counted but not kept.`}
          </p>
          <p>
            {/* A plain link: the browser downloads the stream as it comes, with the session cookie. */}
            <a className="button-link" href={`/api/v1/imports/${importId}/errors?format=csv`} download>
              Download all row errors (CSV)
            </a>
          </p>
          <div className="table-scroll">
            <table className="data" aria-busy={list.loading}>
              <caption className="visually-hidden">Row errors, in file order</caption>
              <thead>
                <tr>
                  {withPart && <th scope="col">File</th>}
                  <th scope="col" className="num">
                    {byItem ? 'Item' : 'Line'}
                  </th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    {withPart && <td>{r.part ?? ''}</td>}
                    <td className="num">{r.line ?? r.item ?? ''}</td>
                    <td>{r.field ?? ''}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pager label="Row error pages" {...list} />
    </section>
  );
}

/**
 * Assignments the file suggests (Google Admin's users, or an asset export's holders that matched no one or
 * several): none is applied by the import. Where a student is named, custody staff can issue it here.
 */
export function Suggestions({ importId, canIssue }: { importId: string; canIssue: boolean }) {
  const ids = useId();
  const list = useKeysetPages<Suggestion>(async (cursor): Promise<PageResult<Suggestion>> => {
    const { data, error, response } = await api.GET('/api/v1/imports/{id}/suggestions', {
      params: { path: { id: importId }, query: { limit: PAGE_SIZE, cursor } },
    });
    return data ? { page: data } : { problem: asProblem(error, response) };
  }, importId);
  const rows = list.page?.data ?? [];
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Assignments to check</h2>
      <p>The import applied none of these: each device keeps its custody until someone issues it.</p>
      {list.problem && <ProblemMessage problem={list.problem} />}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data" aria-busy={list.loading}>
            <caption className="visually-hidden">Suggested assignments</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Device</th>
                <th scope="col">Named in the file</th>
                <th scope="col">Student</th>
                <th scope="col">Why</th>
                {canIssue && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td className="num">{s.line}</td>
                  <td>
                    <Link to={`/devices/${s.deviceId}`}>{s.assetTag ?? s.serialNumber}</Link>
                    {s.assetTag && <div className="sub">Serial {s.serialNumber}</div>}
                  </td>
                  <td>{s.holder ?? ''}</td>
                  <td>
                    {s.studentId ? <Link to={`/students/${s.studentId}`}>{s.studentName ?? s.studentSourcedId}</Link> : '—'}
                    {s.studentSourcedId && <div className="sub">{s.studentSourcedId}</div>}
                  </td>
                  <td>
                    {SUGGESTION_BASES[s.basis]}
                    {s.basis === 'holder_ambiguous' && ` (${s.candidates})`}
                  </td>
                  {canIssue && <td>{s.studentId && <IssueSuggestion suggestion={s} />}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Suggestion pages" {...list} />
    </section>
  );
}

/** Issues the suggested device to the suggested student, by the same route as the station. */
function IssueSuggestion({ suggestion }: { suggestion: Suggestion }) {
  const announce = useAnnounce();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [problem, setProblem] = useState<Problem | null>(null);
  const issue = async () => {
    setState('busy');
    try {
      const { data, error, response } = await api.POST('/api/v1/assignments', {
        body: { deviceId: suggestion.deviceId, studentId: suggestion.studentId!, kind: 'primary' },
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
      });
      if (data) {
        setState('done');
        setProblem(null);
        announce(`Issued ${suggestion.assetTag ?? suggestion.serialNumber} to ${suggestion.studentName ?? 'the student'}.`);
      } else {
        setState('idle');
        setProblem(asProblem(error, response));
      }
    } catch {
      setState('idle');
      setProblem(UNREACHABLE);
    }
  };
  if (state === 'done') return <span className="ok">Issued</span>;
  return (
    <>
      <button type="button" className="secondary small" disabled={state === 'busy'} onClick={() => void issue()}>
        Issue {suggestion.assetTag ?? suggestion.serialNumber}
        <span className="visually-hidden"> to {suggestion.studentName ?? suggestion.studentSourcedId}</span>
      </button>
      {problem && <ProblemMessage problem={problem} />}
    </>
  );
}

/** The students a bulk roster withdrew, or would withdraw (a dry run, or one waiting for confirmation). */
export function Withdrawals({ importId, view }: { importId: string; view: ImportView }) {
  const ids = useId();
  const list = useKeysetPages<Withdrawal>(async (cursor): Promise<PageResult<Withdrawal>> => {
    const { data, error, response } = await api.GET('/api/v1/imports/{id}/withdrawals', {
      params: { path: { id: importId }, query: { limit: PAGE_SIZE, cursor } },
    });
    return data ? { page: data } : { problem: asProblem(error, response) };
  }, `${importId}|${view.status}`);
  const rows = list.page?.data ?? [];
  const pending = view.status === 'needs_confirmation' || view.dryRun;
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{pending ? 'Students this roster would withdraw' : 'Students withdrawn'}</h2>
      {list.problem && <ProblemMessage problem={list.problem} />}
      {list.page && rows.length === 0 && <p>None.</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data" aria-busy={list.loading}>
            <caption className="visually-hidden">{pending ? 'Students this roster would withdraw' : 'Students withdrawn'}</caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">sourcedId</th>
                <th scope="col">Student number</th>
                <th scope="col">Enrolment now</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.studentId}>
                  <td>
                    <Link to={`/students/${w.studentId}`}>
                      {w.familyName}, {w.givenName}
                    </Link>
                  </td>
                  <td>{w.sourcedId}</td>
                  <td>{w.identifier ?? ''}</td>
                  <td>{w.enrollmentStatus}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Withdrawal pages" {...list} />
    </section>
  );
}

/** A district or state administrator applies the withdrawals a bulk roster stopped for (audited, with a note). */
export function ConfirmWithdrawals({ view, onConfirmed }: { view: ImportView; onConfirmed: () => void }) {
  const ids = useId();
  const announce = useAnnounce();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [limit, setLimit] = useState<number | null>(null);
  const pending = view.stats['withdrawalsPending'] ?? 0;

  useEffect(() => {
    let live = true;
    void api
      .GET('/api/v1/districts/{id}', { params: { path: { id: view.districtId } } })
      .then(({ data }) => live && setLimit(data?.rosterWithdrawalLimitPercent ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [view.districtId]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/api/v1/imports/{id}/confirm', {
        params: { path: { id: view.id }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: note.trim() ? { note: note.trim() } : {},
      });
      if (data) {
        announce(`${pending} students withdrawn; the import is completed.`);
        onConfirmed();
      } else setProblem(asProblem(error, response));
    } catch {
      setProblem(UNREACHABLE);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="confirm" onSubmit={(event) => void confirm(event)} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Confirm the withdrawals</h2>
      <p>
        This roster leaves out {pending} active students
        {limit !== null ? `, more than the ${limit} % of the district's active students a roster may withdraw on its own` : ''}. The rest of
        the roster is applied; nobody is withdrawn until you confirm. Check the list above: a partial export from the student information
        system looks like this too.
      </p>
      <div className="field">
        <label htmlFor={`${ids}-note`}>Note for the audit trail (optional)</label>
        <textarea id={`${ids}-note`} maxLength={500} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Withdraw {pending} students
      </button>
      {problem && <ProblemMessage problem={problem} />}
    </form>
  );
}

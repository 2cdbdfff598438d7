import { useEffect, useId, useState } from 'react';
import { api, asProblem, type Schemas } from '../../api/client';
import { Link } from '../../router';
import { useSession } from '../../session';
import { Pager, ProblemMessage } from './common';
import { ImportUpload } from './import-upload';
import { useKeysetPages, type PageResult } from './keyset';
import { formatWhen, KINDS, kindLabel, STATUS_LABELS, type ImportKind, type ImportStatus } from './words';
import './imports.css';

type District = Schemas['DistrictDto'];
type Summary = Schemas['ImportSummaryDto'];

const PAGE_SIZE = 25;

/** /imports: load a file, and the imports of the district, newest first (keyset paged, filtered by kind and status). */
export function ImportsPage() {
  const session = useSession();
  const stateWide = session.current.districtId === null;
  const [districts, setDistricts] = useState<District[] | null>(null);

  useEffect(() => {
    if (!stateWide) return;
    let live = true;
    // A state administrator picks the district; the first 500 cover every state we serve.
    void api
      .GET('/api/v1/districts', { params: { query: { limit: 500 } } })
      .then(({ data }) => live && setDistricts(data?.data ?? []))
      .catch(() => live && setDistricts([]));
    return () => {
      live = false;
    };
  }, [stateWide]);

  return (
    <>
      <h1>Imports</h1>
      <p>Load the files your systems export: rosters, devices, Google Admin, carrier usage, logins and shipments.</p>
      {session.can('runImports') && <ImportUpload districts={districts} />}
      <PastImports districts={districts} />
    </>
  );
}

function PastImports({ districts }: { districts: District[] | null }) {
  const ids = useId();
  const [kind, setKind] = useState<ImportKind | ''>('');
  const [status, setStatus] = useState<ImportStatus | ''>('');
  const names = new Map((districts ?? []).map((d) => [d.id, d.name]));
  const list = useKeysetPages<Summary>(async (cursor): Promise<PageResult<Summary>> => {
    const { data, error, response } = await api.GET('/api/v1/imports', {
      params: { query: { limit: PAGE_SIZE, cursor, ...(kind ? { kind } : {}), ...(status ? { status } : {}) } },
    });
    return data ? { page: data } : { problem: asProblem(error, response) };
  }, `${kind}|${status}`);

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Past imports</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor={`${ids}-kind`}>Kind</label>
          <select id={`${ids}-kind`} value={kind} onChange={(e) => setKind(e.target.value as ImportKind | '')}>
            <option value="">Any kind</option>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-status`}>Status</label>
          <select id={`${ids}-status`} value={status} onChange={(e) => setStatus(e.target.value as ImportStatus | '')}>
            <option value="">Any status</option>
            {(Object.keys(STATUS_LABELS) as ImportStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.problem && <ProblemMessage problem={list.problem} />}
      {list.page && list.page.data.length === 0 && !list.loading && <p>No imports yet{kind || status ? ' match these filters' : ''}.</p>}
      {list.page && list.page.data.length > 0 && (
        <div className="table-scroll">
          <table className="data" aria-busy={list.loading}>
            <caption className="visually-hidden">Past imports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">File</th>
                {districts && <th scope="col">District</th>}
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  Created
                </th>
                <th scope="col" className="num">
                  Updated
                </th>
                <th scope="col" className="num">
                  Failed
                </th>
              </tr>
            </thead>
            <tbody>
              {list.page.data.map((i) => (
                <tr key={i.id}>
                  <td>{formatWhen(i.createdAt)}</td>
                  <td>
                    <Link to={`/imports/${i.id}`}>{i.fileName}</Link>
                    {i.dryRun && <span className="tag">dry run</span>}
                  </td>
                  {districts && <td>{names.get(i.districtId) ?? i.districtId}</td>}
                  <td>{kindLabel(i.kind)}</td>
                  <td>
                    <span className={`status status-${i.status}`}>{STATUS_LABELS[i.status]}</span>
                  </td>
                  <td className="num">{i.counts.rows}</td>
                  <td className="num">{i.counts.created}</td>
                  <td className="num">{i.counts.updated}</td>
                  <td className="num">{i.counts.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Past imports pages" {...list} />
    </section>
  );
}

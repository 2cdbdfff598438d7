import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useSession } from '../../session';
import { Field } from '../../ui/action-dialog';
import { day, queryString } from '../../ui/format';
import { outcome, ProblemMessage, type Outcome } from '../../ui/problem';
import { useSchools } from '../../ui/schools';
import { useLoad } from '../../ui/use-load';
import { DeviceHealth, RolloutFunnel } from './more-reports';
import { TicketWeeks } from './ticket-weeks';
import { TrendChart, type TrendPoint } from './trend-chart';
import { lastWholeWeek } from './weeks';
import '../records.css';
import './reports.css';

type TrendRow = Schemas['WeeklyTrendRowDto'];
const TREND_WEEKS = 12;

interface WeeklyQuery {
  weekOf: string;
  districtId?: string;
  bySchool: boolean;
}

const weekly = (query: WeeklyQuery) =>
  outcome(api.GET('/api/v1/reports/weekly-learning-model', { params: { query: { ...query, bySchool: query.bySchool } } }));

/** A week's row that sums the whole report: the state total for a state-wide one, else the district's total. */
function totalRow(rows: readonly TrendRow[], districtId: string | undefined): TrendRow | undefined {
  const totals = rows.filter((row) => row.schoolId === null);
  return districtId === undefined
    ? (totals.find((row) => row.districtId === null) ?? totals[0])
    : totals.find((row) => row.districtId === districtId);
}

/** The 12 weeks to the chosen one in one request (GET /reports/weekly-learning-model/trend), as chart points. */
async function trend(query: WeeklyQuery): Promise<Outcome<TrendPoint[]>> {
  const answer = await outcome(
    api.GET('/api/v1/reports/weekly-learning-model/trend', {
      params: { query: { weekOf: query.weekOf, districtId: query.districtId, weeks: TREND_WEEKS } },
    }),
  );
  if (answer.problem) return { problem: answer.problem };
  const weeks = [...new Set(answer.data.rows.map((row) => row.weekOf))];
  return {
    data: weeks.map((weekOf) => {
      const total = totalRow(
        answer.data.rows.filter((row) => row.weekOf === weekOf),
        query.districtId,
      );
      return {
        weekOf,
        remote: total?.remote ?? 0,
        remoteNotConnected: total?.remoteNotConnected ?? 0,
        percent: total?.percentRemoteNotConnected ?? 0,
      };
    }),
  };
}

/** /reports — the state's weekly learning-model collection with its CSV and trend, and the federal inventory download. */
export function ReportsPage() {
  const session = useSession();
  const stateWide = session.current.districtId === null;
  const schools = useSchools();
  const districts = useLoad(() => outcome(api.GET('/api/v1/districts', { params: { query: { limit: 500 } } })), []);
  const districtById = new Map((districts.data?.data ?? []).map((district) => [district.id, district]));
  const [query, setQuery] = useState<WeeklyQuery>({ weekOf: lastWholeWeek(), bySchool: false });
  const report = useLoad(() => weekly(query), [query.weekOf, query.districtId, query.bySchool]);
  const points = useLoad(() => trend(query), [query.weekOf, query.districtId]);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const weekOf = form.get('weekOf');
    const districtId = form.get('districtId');
    setQuery({
      weekOf: typeof weekOf === 'string' && weekOf ? weekOf : query.weekOf,
      districtId: typeof districtId === 'string' && districtId ? districtId : undefined,
      bySchool: form.get('bySchool') === 'on',
    });
  };

  const districtCell = (id: string | null) => {
    if (!id) return 'State total';
    const district = districtById.get(id);
    return district ? `${district.name} (${district.code})` : id;
  };
  const schoolCell = (id: string | null) => {
    if (!id) return '—';
    const school = schools.get(id);
    return school ? `${school.name} (${school.code})` : id;
  };
  const csv = `/api/v1/reports/weekly-learning-model?${queryString({
    weekOf: query.weekOf,
    districtId: query.districtId,
    bySchool: query.bySchool ? 'true' : undefined,
    format: 'csv',
  })}`;

  return (
    <>
      <h1>Reports</h1>
      <section aria-labelledby="weekly-heading">
        <h2 id="weekly-heading">Weekly learning model and connectivity</h2>
        <form className="filters screen-only" aria-label="Choose the week" onSubmit={apply}>
          <Field label="Week of (any day)">
            {(id) => <input id={id} name="weekOf" type="date" defaultValue={query.weekOf} required />}
          </Field>
          {stateWide && (
            <Field label="District">
              {(id) => (
                <select id={id} name="districtId" defaultValue={query.districtId ?? ''}>
                  <option value="">Every district</option>
                  {(districts.data?.data ?? []).map((district) => (
                    <option key={district.id} value={district.id}>
                      {district.name} ({district.code})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <label className="check">
            <input type="checkbox" name="bySchool" defaultChecked={query.bySchool} /> Per school
          </label>
          <button type="submit">Show report</button>
          <a className="download" href={csv} download={`weekly-learning-model-${query.weekOf}.csv`}>
            Download CSV
          </a>
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
        </form>
        <ProblemMessage problem={report.problem} />
        {report.data && (
          <div aria-busy={report.loading}>
            <p>
              Week of {day(report.data.weekOf)} to {day(report.data.weekEnd)}.
            </p>
            {report.data.rows.length ? (
              <table className="weekly">
                <caption className="visually-hidden">Weekly learning model, week of {day(report.data.weekOf)}</caption>
                <thead>
                  <tr>
                    <th scope="col">District</th>
                    {query.bySchool && <th scope="col">School</th>}
                    <th scope="col">Grade</th>
                    <th scope="col">Enrolled</th>
                    <th scope="col">In person</th>
                    <th scope="col">Hybrid</th>
                    <th scope="col">Fully remote</th>
                    <th scope="col">% remote</th>
                    <th scope="col">Remote, not connected</th>
                    <th scope="col">% of remote not connected</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.rows.map((row, i) => (
                    <tr key={i} className={row.grade === null ? 'total' : undefined}>
                      <td>{districtCell(row.districtId)}</td>
                      {query.bySchool && <td>{schoolCell(row.schoolId)}</td>}
                      <td>{row.grade ?? 'All grades'}</td>
                      <td>{row.enrollment}</td>
                      <td>{row.inPerson}</td>
                      <td>{row.hybrid}</td>
                      <td>{row.remote}</td>
                      <td>{row.percentRemote}%</td>
                      <td>{row.remoteNotConnected}</td>
                      <td>{row.percentRemoteNotConnected}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>No students are on record for this week.</p>
            )}
          </div>
        )}
        <ProblemMessage problem={points.problem} />
        {points.data && (
          <TrendChart
            points={points.data}
            caption={`Percent of fully remote learners not connected, ${TREND_WEEKS} weeks to the week of ${day(points.data.at(-1)?.weekOf)}${
              query.districtId ? ` — ${districtCell(query.districtId)}` : stateWide ? ' — every district' : ''
            }`}
          />
        )}
      </section>
      {session.can('readRollout') && <RolloutFunnel districtId={query.districtId} />}
      {session.can('readDeviceHealth') && <DeviceHealth districtId={query.districtId} />}
      <TicketWeeks districtId={query.districtId} weekOf={query.weekOf} />
      {session.can('readFederalInventory') && <FederalInventory schools={schools} stateWide={stateWide} />}
    </>
  );
}

/** The federal programme's inventory as CSV: every device of a funding source and who holds it (names students: admins only). */
function FederalInventory({ schools, stateWide }: { schools: Map<string, Schemas['SchoolDto']>; stateWide: boolean }) {
  const [fundingSource, setFundingSource] = useState('');
  const [schoolId, setSchoolId] = useState('');
  const href = `/api/v1/reports/federal-inventory?${queryString({ fundingSource: fundingSource.trim(), schoolId, format: 'csv' })}`;
  return (
    <section aria-labelledby="federal-heading" className="screen-only">
      <h2 id="federal-heading">Federal inventory</h2>
      <p>
        Every device bought with a funding source, with its school and the student it is lent to{stateWide ? ', for every district' : ''}.
        The file names students: keep it where the programme asks.
      </p>
      <div className="filters">
        <Field label="Funding source">
          {(id) => <input id={id} value={fundingSource} maxLength={200} onChange={(event) => setFundingSource(event.target.value)} />}
        </Field>
        <Field label="School">
          {(id) => (
            <select id={id} value={schoolId} onChange={(event) => setSchoolId(event.target.value)}>
              <option value="">All schools</option>
              {[...schools.values()].map((school) => (
                <option key={school.id} value={school.id}>
                  {school.name} ({school.code})
                </option>
              ))}
            </select>
          )}
        </Field>
        {fundingSource.trim() ? (
          <a className="download" href={href} download="federal-inventory.csv">
            Download federal inventory (CSV)
          </a>
        ) : (
          <p className="hint">Name the funding source to download its inventory.</p>
        )}
      </div>
    </section>
  );
}

import { useId } from 'react';
import { api, type Schemas } from '../../api/client';
import { day, label, queryString } from '../../ui/format';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';

type TicketWeekRow = Schemas['TicketWeekRowDto'];
type TicketType = TicketWeekRow['type'];

const WEEKS = 12;
const TYPES: readonly TicketType[] = ['replacement', 'connectivity', 'outreach', 'repair'];
/** Each type's line has a dash pattern and a marker shape of its own: the chart never relies on colour. */
const DASH: Record<TicketType, string | undefined> = { replacement: undefined, connectivity: '7 4', outreach: '2 3', repair: '10 3 2 3' };

const FIGURES = [
  ['opened', 'Opened'],
  ['resolved', 'Resolved'],
  ['medianHoursToResolve', 'Median hours to resolve'],
  ['openAtWeekEnd', 'Open at week’s end'],
  ['age', 'Age open (days), median / oldest'],
] as const;

const WIDTH = 720;
const HEIGHT = 250;
const PAD = { top: 40, right: 24, bottom: 44, left: 44 };

function Marker({ type, x, y }: { type: TicketType; x: number; y: number }) {
  const points = (offsets: [number, number][]) => offsets.map(([dx, dy]) => `${x + dx},${y + dy}`).join(' ');
  switch (type) {
    case 'replacement':
      return <rect className="marker" x={x - 4} y={y - 4} width={8} height={8} />;
    case 'connectivity':
      return <circle className="marker" cx={x} cy={y} r={4.5} />;
    case 'outreach':
      return (
        <polygon
          className="marker"
          points={points([
            [0, -5.5],
            [5, 4],
            [-5, 4],
          ])}
        />
      );
    default:
      return (
        <polygon
          className="marker"
          points={points([
            [0, -5.5],
            [5.5, 0],
            [0, 5.5],
            [-5.5, 0],
          ])}
        />
      );
  }
}

/** Tickets opened per week, one line per type; the table below gives every figure. */
function OpenedChart({ weeks, rows, caption }: { weeks: string[]; rows: Map<string, TicketWeekRow>; caption: string }) {
  const titleId = useId();
  const opened = (weekOf: string, type: TicketType) => rows.get(`${weekOf}/${type}`)?.opened ?? 0;
  const top = Math.max(4, Math.ceil(Math.max(...weeks.flatMap((w) => TYPES.map((type) => opened(w, type)))) / 4) * 4);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (weeks.length > 1 ? (i * plotW) / (weeks.length - 1) : plotW / 2);
  const y = (value: number) => PAD.top + plotH - (value / top) * plotH;
  const summary = TYPES.map((type) => `${label(type)}: ${weeks.map((w) => opened(w, type)).join(', ')}`).join('; ');
  return (
    <figure className="trend ticket-chart">
      <figcaption id={titleId}>{caption}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`}>
        <desc id={`${titleId}-summary`}>{summary}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text className="axis" x={PAD.left - 8} y={y(top * f) + 4} textAnchor="end">
              {top * f}
            </text>
          </g>
        ))}
        {TYPES.map((type, t) => (
          <g key={type} className={`series series-${type}`}>
            <line className="line" x1={PAD.left + t * 160} x2={PAD.left + t * 160 + 28} y1={14} y2={14} strokeDasharray={DASH[type]} />
            <Marker type={type} x={PAD.left + t * 160 + 14} y={14} />
            <text x={PAD.left + t * 160 + 36} y={18}>
              {label(type)}
            </text>
            <polyline
              className="line"
              fill="none"
              strokeDasharray={DASH[type]}
              points={weeks.map((w, i) => `${x(i)},${y(opened(w, type))}`).join(' ')}
            />
            {weeks.map((w, i) => (
              <Marker key={w} type={type} x={x(i)} y={y(opened(w, type))} />
            ))}
          </g>
        ))}
        {weeks.map((w, i) => (
          <text key={w} className="axis" x={x(i)} y={HEIGHT - PAD.bottom + 18} textAnchor="middle">
            {w.slice(5)}
          </text>
        ))}
        <text className="axis" x={PAD.left + plotW / 2} y={HEIGHT - 6} textAnchor="middle">
          Week starting (month-day)
        </text>
      </svg>
    </figure>
  );
}

/** Weeks as rows, a column group per ticket type; `headers` ties each cell to its week, type and figure for screen readers. */
function WeeksTable({ weeks, rows, caption }: { weeks: string[]; rows: Map<string, TicketWeekRow>; caption: string }) {
  const id = useId();
  const cell = (row: TicketWeekRow | undefined, figure: (typeof FIGURES)[number][0]) => {
    if (!row) return '—';
    if (figure === 'age') return row.openAtWeekEnd ? `${row.medianOpenAgeDays} / ${row.oldestOpenAgeDays}` : '—';
    return row[figure] ?? '—';
  };
  return (
    // Focusable: on a narrow screen the table scrolls within itself, and the keyboard must reach it.
    <table className="ticket-weeks" tabIndex={0}>
      <caption>{caption}</caption>
      <col />
      {TYPES.map((type) => (
        <colgroup key={type} span={FIGURES.length} className={`group-${type}`} />
      ))}
      <thead>
        <tr>
          <th id={`${id}-week`} rowSpan={2} scope="col">
            Week of
          </th>
          {TYPES.map((type) => (
            <th key={type} id={`${id}-${type}`} scope="colgroup" colSpan={FIGURES.length}>
              {label(type)}
            </th>
          ))}
        </tr>
        <tr>
          {TYPES.flatMap((type) =>
            FIGURES.map(([figure, words]) => (
              <th key={`${type}-${figure}`} id={`${id}-${type}-${figure}`} headers={`${id}-${type}`} scope="col">
                {words}
              </th>
            )),
          )}
        </tr>
      </thead>
      <tbody>
        {weeks.map((weekOf) => (
          <tr key={weekOf}>
            <th id={`${id}-${weekOf}`} headers={`${id}-week`} scope="row">
              {day(weekOf)}
            </th>
            {TYPES.flatMap((type) =>
              FIGURES.map(([figure]) => (
                <td key={`${type}-${figure}`} headers={`${id}-${weekOf} ${id}-${type} ${id}-${type}-${figure}`}>
                  {cell(rows.get(`${weekOf}/${type}`), figure)}
                </td>
              )),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Tickets per week and type for the 12 weeks to the chosen one (GET /reports/tickets/weekly, one request):
 * a chart of the tickets opened and the table of every figure, per district. It replaces the 30-day summary,
 * whose figures (opened, resolved, median time, open by type, oldest open) the latest weeks now show.
 */
export function TicketWeeks({ districtId, weekOf }: { districtId?: string; weekOf: string }) {
  const report = useLoad(
    () => outcome(api.GET('/api/v1/reports/tickets/weekly', { params: { query: { districtId, weekOf, weeks: WEEKS } } })),
    [districtId, weekOf],
  );
  const districts = new Map<string, { name: string; weeks: string[]; rows: Map<string, TicketWeekRow> }>();
  for (const row of report.data?.rows ?? []) {
    let district = districts.get(row.districtId);
    if (!district) districts.set(row.districtId, (district = { name: row.districtName, weeks: [], rows: new Map() }));
    if (!district.weeks.includes(row.weekOf)) district.weeks.push(row.weekOf);
    district.rows.set(`${row.weekOf}/${row.type}`, row);
  }
  const csv = `/api/v1/reports/tickets/weekly?${queryString({ districtId, weekOf, weeks: String(WEEKS), format: 'csv' })}`;
  return (
    <section aria-labelledby="tickets-heading">
      <h2 id="tickets-heading">Tickets: volume and age</h2>
      <p className="screen-only">
        <a className="download" href={csv} download>
          Download tickets per week (CSV)
        </a>
      </p>
      <ProblemMessage problem={report.problem} />
      {[...districts.entries()].map(([id, district]) => {
        const span = `${WEEKS} weeks to the week of ${day(district.weeks.at(-1))}`;
        return (
          <div key={id} aria-busy={report.loading}>
            <h3>{district.name}</h3>
            <OpenedChart weeks={district.weeks} rows={district.rows} caption={`Tickets opened per week by type, ${span}`} />
            <WeeksTable weeks={district.weeks} rows={district.rows} caption={`Tickets per week by type, ${span}`} />
          </div>
        );
      })}
    </section>
  );
}

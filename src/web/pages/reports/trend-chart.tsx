import { useId, useState } from 'react';
import { day } from '../../ui/format';

export interface TrendPoint {
  weekOf: string;
  remote: number;
  remoteNotConnected: number;
  percent: number;
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 24, right: 24, bottom: 48, left: 56 };

/** The highest gridline: the next 10 above the highest value (at least 10), so small percentages stay readable. */
function ceiling(points: readonly TrendPoint[]): number {
  const top = Math.max(10, ...points.map((point) => point.percent));
  return Math.min(100, Math.ceil(top / 10) * 10);
}

/**
 * Percent of remote learners not connected, week by week. Each point carries its value as text and a
 * marker shape, so nothing depends on colour; the same figures are one button away as a table, and
 * print shows both.
 */
export function TrendChart({ points, caption }: { points: readonly TrendPoint[]; caption: string }) {
  const [asTable, setAsTable] = useState(false);
  const titleId = useId();
  const max = ceiling(points);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length > 1 ? (i * plotW) / (points.length - 1) : plotW / 2);
  const y = (percent: number) => PAD.top + plotH - (percent / max) * plotH;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const summary = points.map((point) => `${day(point.weekOf)}: ${point.percent}%`).join('; ');

  return (
    <figure className="trend">
      <figcaption id={titleId}>{caption}</figcaption>
      <button type="button" className="screen-only" aria-pressed={asTable} onClick={() => setAsTable((shown) => !shown)}>
        {asTable ? 'Show chart' : 'Show as table'}
      </button>
      <svg
        className={asTable ? 'print-only' : undefined}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-summary`}
      >
        <desc id={`${titleId}-summary`}>{summary}</desc>
        {grid.map((value) => (
          <g key={value}>
            <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} />
            <text className="axis" x={PAD.left - 8} y={y(value) + 4} textAnchor="end">
              {value}%
            </text>
          </g>
        ))}
        <polyline className="line" fill="none" points={points.map((point, i) => `${x(i)},${y(point.percent)}`).join(' ')} />
        {points.map((point, i) => (
          <g key={point.weekOf}>
            <rect className="marker" x={x(i) - 4} y={y(point.percent) - 4} width={8} height={8} />
            <text className="value" x={x(i)} y={y(point.percent) - 9} textAnchor="middle">
              {point.percent}
            </text>
            <text className="axis" x={x(i)} y={HEIGHT - PAD.bottom + 18} textAnchor="middle">
              {point.weekOf.slice(5)}
            </text>
          </g>
        ))}
        <text className="axis" x={PAD.left + plotW / 2} y={HEIGHT - 8} textAnchor="middle">
          Week starting (month-day)
        </text>
      </svg>
      <table className={asTable ? undefined : 'print-only'}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Week starting</th>
            <th scope="col">Fully remote</th>
            <th scope="col">Remote, not connected</th>
            <th scope="col">Percent not connected</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.weekOf}>
              <th scope="row">{day(point.weekOf)}</th>
              <td>{point.remote}</td>
              <td>{point.remoteNotConnected}</td>
              <td>{point.percent}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

import { useState } from 'react';
import { api, type Schemas } from '../api/client';
import { Link } from '../router';
import { useSession } from '../session';
import { DeviceActions } from '../ui/device-actions';
import { day, deviceName, fullName, label, when } from '../ui/format';
import { outcome, ProblemMessage } from '../ui/problem';
import { useLoad } from '../ui/use-load';
import './records.css';

/** How many custody entries the page shows; a device rarely has more, and the rest stay one click away in the API. */
const HISTORY_SHOWN = 50;
const AUDIT_PAGE = 20;

interface DeviceView {
  device: Schemas['DeviceDto'];
  school: Schemas['SchoolDto'] | null;
  history: Schemas['AssignmentDto'][];
  moreHistory: boolean;
  /** Names of the students in the history, by id; a student out of the caller's reach has none. */
  names: Map<string, string>;
  repairs: Schemas['RepairDto'][];
  tickets: Schemas['TicketDto'][];
}

async function loadDevice(id: string) {
  const path = { path: { id } };
  const [device, history, repairs, tickets] = await Promise.all([
    outcome(api.GET('/api/v1/devices/{id}', { params: path })),
    outcome(api.GET('/api/v1/assignments', { params: { query: { deviceId: id, limit: HISTORY_SHOWN } } })),
    outcome(api.GET('/api/v1/devices/{id}/repairs', { params: path })),
    outcome(api.GET('/api/v1/tickets', { params: { query: { deviceId: id, limit: 20 } } })),
  ]);
  if (device.problem) return device;
  for (const part of [history, repairs, tickets]) if (part.problem) return part;
  const studentIds = [...new Set(history.data!.data.map((entry) => entry.studentId))];
  const [school, ...students] = await Promise.all([
    device.data.schoolId ? outcome(api.GET('/api/v1/schools/{id}', { params: { path: { id: device.data.schoolId } } })) : null,
    ...studentIds.map((studentId) => outcome(api.GET('/api/v1/students/{id}', { params: { path: { id: studentId } } }))),
  ]);
  const names = new Map(students.flatMap((student) => (student?.data ? [[student.data.id, fullName(student.data)] as const] : [])));
  return {
    data: {
      device: device.data,
      school: school?.data ?? null,
      history: history.data!.data,
      moreHistory: history.data!.nextCursor !== null,
      names,
      repairs: repairs.data!.data,
      tickets: tickets.data!.data,
    } satisfies DeviceView,
  };
}

/** /devices/:id — identity (kind-specific), custody history, repairs, open tickets, audit trail; actions. */
export function DevicePage({ id }: { id: string }) {
  const session = useSession();
  const loaded = useLoad(() => loadDevice(id), [id]);
  if (loaded.problem)
    return (
      <>
        <h1>Device</h1>
        <ProblemMessage problem={loaded.problem} />
      </>
    );
  if (!loaded.data)
    return (
      <p aria-busy="true" className="loading-line">
        Loading the device…
      </p>
    );
  const { device, school, history, moreHistory, names, repairs, tickets } = loaded.data;
  const name = deviceName(device);
  const holderName = device.holder ? (names.get(device.holder.studentId) ?? 'a student outside your schools') : null;
  const studentLink = (studentId: string) =>
    names.has(studentId) ? <Link to={`/students/${studentId}`}>{names.get(studentId)}</Link> : 'A student outside your schools';
  return (
    <div className="record" aria-busy={loaded.loading}>
      <h1>
        {label(device.kind)} {name}
      </h1>
      <div className="summary">
        <span className={`badge ${device.status === 'in_stock' || device.status === 'assigned' ? 'ok' : 'warn'}`}>
          {label(device.status)}
        </span>
        <span className={`badge ${device.condition === 'working' ? 'ok' : 'bad'}`}>{label(device.condition)}</span>
        {device.holder && (
          <span>
            Held by {studentLink(device.holder.studentId)} since {when(device.holder.since)}
            {device.holder.kind === 'loaner' ? ' (loaner)' : ''}
          </span>
        )}
        {device.holderUnknown && <span>Deployed to a student the asset system did not name</span>}
      </div>
      <DeviceActions
        device={device}
        holder={
          device.holder && holderName
            ? { assignmentId: device.holder.assignmentId, studentId: device.holder.studentId, name: holderName }
            : null
        }
        withRetire
        onDone={loaded.reload}
      />

      <section aria-labelledby="identity">
        <h2 id="identity">Identity</h2>
        <dl className="facts">
          <dt>Asset tag</dt>
          <dd>{device.assetTag ?? '—'}</dd>
          <dt>Serial number</dt>
          <dd>{device.serialNumber}</dd>
          <dt>Model</dt>
          <dd>{[device.manufacturer, device.model].filter(Boolean).join(' ') || '—'}</dd>
          <dt>School</dt>
          <dd>{school ? school.name : 'District store'}</dd>
          <dt>Funding</dt>
          <dd>{device.fundingSource ?? '—'}</dd>
          <dt>Purchased</dt>
          <dd>{day(device.purchaseDate)}</dd>
          <dt>Warranty until</dt>
          <dd>{day(device.warrantyEnd)}</dd>
          {device.kind === 'chromebook' && (
            <>
              <dt>Google status</dt>
              <dd>{device.googleStatus ? label(device.googleStatus.toLowerCase()) : '—'}</dd>
              <dt>Last sync</dt>
              <dd>{when(device.lastSyncAt)}</dd>
              <dt>Chrome OS</dt>
              <dd>{device.osVersion ?? '—'}</dd>
              <dt>Updates until</dt>
              <dd>{day(device.autoUpdateThrough)}</dd>
            </>
          )}
          {device.kind === 'hotspot' && (
            <>
              <dt>IMEI</dt>
              <dd>{device.imei ?? '—'}</dd>
              <dt>Line</dt>
              <dd>
                {label(device.lineStatus)}
                {device.carrier ? `, ${device.carrier}` : ''}
                {device.phoneNumber ? `, ${device.phoneNumber}` : ''}
              </dd>
              <dt>Data this month</dt>
              <dd>
                {device.monthlyUsedMb === null
                  ? '—'
                  : `${device.monthlyUsedMb.toLocaleString()} MB${device.monthlyCapMb !== null ? ` of ${device.monthlyCapMb.toLocaleString()} MB` : ''}`}
              </dd>
              <dt>Last used</dt>
              <dd>{when(device.lastUsageAt)}</dd>
            </>
          )}
          {device.retiredAt && (
            <>
              <dt>Retired</dt>
              <dd>{when(device.retiredAt)}</dd>
            </>
          )}
          {device.notes && (
            <>
              <dt>Notes</dt>
              <dd className="notes">{device.notes}</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="custody">
        <h2 id="custody">Custody history</h2>
        {history.length ? (
          <table>
            <caption className="visually-hidden">Who held {name}, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">As</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Ended by</th>
                <th scope="col">Came back</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {history.map((entry) => (
                <tr key={entry.id}>
                  <td>{studentLink(entry.studentId)}</td>
                  <td>{label(entry.kind)}</td>
                  <td>{when(entry.startedAt)}</td>
                  <td>{entry.active ? 'Holds it now' : when(entry.endedAt)}</td>
                  <td>{label(entry.endReason)}</td>
                  <td>{label(entry.returnedCondition)}</td>
                  <td>{entry.returnNote ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>Never issued.</p>
        )}
        {moreHistory && <p>The {HISTORY_SHOWN} most recent are shown.</p>}
      </section>

      <section aria-labelledby="repairs">
        <h2 id="repairs">Repairs</h2>
        {repairs.length ? (
          <table>
            <caption className="visually-hidden">Repairs of {name}, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Came in</th>
                <th scope="col">From</th>
                <th scope="col">Loaner</th>
                <th scope="col">Closed</th>
                <th scope="col">Went to</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {repairs.map((repair) => (
                <tr key={repair.id}>
                  <td>{label(repair.problem)}</td>
                  <td>{when(repair.openedAt)}</td>
                  <td>{repair.studentId ? studentLink(repair.studentId) : 'Stock'}</td>
                  <td>{repair.loanerAssignmentId ? 'Yes' : 'No'}</td>
                  <td>{repair.closedAt ? when(repair.closedAt) : <span className="badge warn">Open</span>}</td>
                  <td>{label(repair.returnedTo)}</td>
                  <td>{repair.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No repairs.</p>
        )}
      </section>

      <section aria-labelledby="device-tickets">
        <h2 id="device-tickets">Open tickets</h2>
        {tickets.length ? (
          <ul>
            {tickets.map((ticket) => (
              <li key={ticket.id}>
                {label(ticket.type)} ({label(ticket.status)}, priority {ticket.priority}): {ticket.reasons.map(label).join(', ')}; opened{' '}
                {when(ticket.openedAt)}
              </li>
            ))}
          </ul>
        ) : (
          <p>No open tickets about this device.</p>
        )}
      </section>

      {session.can('readAudit') && session.current.schoolIds === null && <AuditTrail deviceId={device.id} name={name} />}
    </div>
  );
}

type AuditEvent = Schemas['AuditEventDto'];

type Line = { deviceId?: string; before?: unknown; after?: unknown };

/**
 * What an event changed for this device: the fields whose values differ between before and after. An
 * event naming many devices (a bulk request's, entityIds) holds each device's change as a line of after.lines.
 */
function changed(event: AuditEvent, deviceId: string): string {
  const line = event.entityIds ? ((event.after as { lines?: Line[] } | null)?.lines ?? []).find((l) => l.deviceId === deviceId) : undefined;
  const before = ((line ? line.before : event.before) ?? {}) as Record<string, unknown>;
  const after = ((line ? line.after : event.after) ?? {}) as Record<string, unknown>;
  const fields = Object.keys(after).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  return fields
    .filter((field) => !['updatedAt', 'createdAt'].includes(field))
    .slice(0, 6)
    .map((field) => {
      const value = after[field];
      return `${field}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join('; ');
}

/** The device's audit events, newest first, a page at a time (admins and auditors of the whole district). */
function AuditTrail({ deviceId, name }: { deviceId: string; name: string }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const loaded = useLoad(
    () =>
      outcome(
        api.GET('/api/v1/audit-events', { params: { query: { entityType: 'device', entityId: deviceId, limit: AUDIT_PAGE, cursor } } }),
      ),
    [deviceId, cursor],
  );
  return (
    <section aria-labelledby="audit">
      <h2 id="audit">Audit trail</h2>
      <ProblemMessage problem={loaded.problem} />
      {loaded.data && (
        <>
          <table>
            <caption className="visually-hidden">Changes to {name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.data.map((event) => (
                <tr key={event.id}>
                  <td>{when(event.occurredAt)}</td>
                  <td>{event.actor}</td>
                  <td>{label(event.action)}</td>
                  <td className="changes">{changed(event, deviceId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer changes
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!loaded.data.nextCursor}
              onClick={() => setCursors([...cursors, loaded.data!.nextCursor ?? undefined])}
            >
              Older changes
            </button>
          </div>
        </>
      )}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { api, idempotencyKey, type Problem, type Schemas } from '../../api/client';
import { Link } from '../../router';
import { useSession, type Session } from '../../session';
import { useAnnounce } from '../../shell/announcer';
import { Field } from '../../ui/action-dialog';
import { DeviceActions } from '../../ui/device-actions';
import { day, fullName, label, when } from '../../ui/format';
import { outcome, ProblemMessage, type Outcome } from '../../ui/problem';
import { useSchools } from '../../ui/schools';
import { useLoad } from '../../ui/use-load';
import { OUTREACH_CHANNELS, OUTREACH_OUTCOMES, reasonSentence, TICKET_STATUSES } from './ticket-words';
import '../records.css';
import './tickets.css';

type Ticket = Schemas['TicketDetailDto'];

/** The facts a scan recorded (src/connectivity: gap-scan.engine, equipment-verdict): read defensively, a manual ticket has none. */
interface Evidence {
  asOf?: string;
  lastLoginAt?: string | null;
  homeInternet?: string | null;
  gapOpenedAt?: string | null;
  devices?: {
    deviceId: string;
    kind?: string;
    assetTag?: string | null;
    serialNumber?: string;
    status?: string;
    condition?: string | null;
    googleStatus?: string | null;
    lastSyncAt?: string | null;
    autoUpdateThrough?: string | null;
  }[];
  hotspots?: {
    deviceId: string;
    assetTag?: string | null;
    imei?: string | null;
    lineStatus?: string | null;
    condition?: string | null;
    monthlyCapMb?: number | null;
    monthlyUsedMb?: number | null;
    lastUsageAt?: string | null;
  }[];
}

const asEvidence = (value: unknown): Evidence => (value && typeof value === 'object' ? value : {});
const MAX_DAYS = 42;

/** The calendar day (YYYY-MM-DD) an instant falls on in the district's time zone. */
const dayIn = (timeZone: string, instant: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));

/**
 * The days from the last login (its day in the district's time zone) to the scan's day: weekends and the
 * district's closure days hatched (no school), the others counted as missed. Drawn as a row of days with
 * words, so it reads without colour.
 */
function GapTimeline({ evidence, district }: { evidence: Evidence; district: { timeZone: string; closureDates: string[] } | null }) {
  if (!evidence.lastLoginAt) return <p>No login on record.</p>;
  const timeZone = district?.timeZone ?? 'UTC';
  // The scan's asOf is a calendar day stored as its midnight UTC.
  const last = evidence.asOf ? new Date(evidence.asOf).toISOString().slice(0, 10) : dayIn(timeZone, new Date().toISOString());
  const closed = new Set(district?.closureDates ?? []);
  const days: { day: string; kind: 'login' | 'missed' | 'closed' }[] = [];
  for (
    let d = new Date(`${dayIn(timeZone, evidence.lastLoginAt)}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= last;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const date = d.toISOString().slice(0, 10);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    days.push({ day: date, kind: days.length === 0 ? 'login' : weekend || closed.has(date) ? 'closed' : 'missed' });
  }
  const missed = days.filter((d) => d.kind === 'missed').length;
  const shown = days.slice(-MAX_DAYS);
  return (
    <>
      <p>
        Last login {when(evidence.lastLoginAt)}; <strong>{missed} school days missed</strong> up to {day(last)}
        {days.length > MAX_DAYS ? ` (the last ${MAX_DAYS} days shown)` : ''}.
      </p>
      <ol className="timeline" aria-label="Days since the last login">
        {shown.map((d) => (
          <li
            key={d.day}
            className={d.kind}
            title={`${d.day}: ${d.kind === 'login' ? 'last login' : d.kind === 'closed' ? 'no school' : 'missed'}`}
          >
            <span aria-hidden="true">{d.day.slice(8)}</span>
            <span className="visually-hidden">
              {d.day}: {d.kind === 'login' ? 'last login' : d.kind === 'closed' ? 'no school' : 'missed'}
            </span>
          </li>
        ))}
      </ol>
      <p className="hint">Bold: a school day missed. Hatched: weekend or closure day. Outlined: the day of the last login.</p>
    </>
  );
}

function Equipment({ evidence }: { evidence: Evidence }) {
  const devices = evidence.devices ?? [];
  const hotspots = evidence.hotspots ?? [];
  return (
    <>
      <p>Home internet (as the roster says): {label(evidence.homeInternet ?? 'unknown')}.</p>
      {devices.length + hotspots.length === 0 ? (
        <p>The student held no device or hotspot at the scan.</p>
      ) : (
        <table>
          <caption className="visually-hidden">The student's devices and hotspots at the scan</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Status</th>
              <th scope="col">Last sync or use</th>
              <th scope="col">Line and usage</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.deviceId}>
                <td>
                  <Link to={`/devices/${d.deviceId}`}>
                    {label(d.kind ?? 'device')} {d.assetTag ?? d.serialNumber}
                  </Link>
                </td>
                <td>
                  {label(d.status)}; condition {label(d.condition ?? 'unknown').toLowerCase()}; Google {d.googleStatus ?? 'unknown'}
                  {d.autoUpdateThrough ? `; updates until ${d.autoUpdateThrough}` : ''}
                </td>
                <td>{when(d.lastSyncAt)}</td>
                <td>—</td>
              </tr>
            ))}
            {hotspots.map((h) => (
              <tr key={h.deviceId}>
                <td>
                  <Link to={`/devices/${h.deviceId}`}>Hotspot {h.assetTag ?? h.imei}</Link>
                </td>
                <td>Condition {label(h.condition ?? 'unknown').toLowerCase()}</td>
                <td>{when(h.lastUsageAt)}</td>
                <td>
                  Line {label(h.lineStatus ?? 'unknown').toLowerCase()}; {h.monthlyUsedMb ?? '?'} of {h.monthlyCapMb ?? '?'} MB this month
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function historyLine(event: Ticket['history'][number]): string {
  const data = (event.data && typeof event.data === 'object' ? event.data : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : undefined);
  switch (event.kind) {
    case 'opened':
      return 'Opened';
    case 'status_changed':
      return `Status ${label(text('from')).toLowerCase()} → ${label(text('to') ?? text('status')).toLowerCase()}${text('resolution') ? ` (${text('resolution')})` : ''}`;
    case 'assigned':
      return `Assigned to ${text('to') ?? text('assignee') ?? 'nobody'}`;
    case 'comment':
      return `Comment: ${text('body') ?? ''}`;
    case 'outreach_attempt':
      return `Outreach: ${label(text('channel')).toLowerCase()}, ${label(text('outcome')).toLowerCase()}${text('note') ? ` — ${text('note')}` : ''}`;
    case 'student_reconnected':
      return 'The student logged in again';
    case 'reasons_changed':
      return 'Reasons changed';
    default:
      return label(event.kind);
  }
}

function myName(session: Session): string | null {
  return session.current.staffUser?.email ?? session.current.token?.name ?? null;
}

/** /tickets/:id — the evidence as a person reads it, the history, and the actions that work it. */
export function TicketPage({ id }: { id: string }) {
  const session = useSession();
  const announce = useAnnounce();
  const schools = useSchools();
  const loaded = useLoad(() => outcome(api.GET('/api/v1/tickets/{id}', { params: { path: { id } } })), [id]);
  const ticket = loaded.data;
  const district = useLoad(
    () =>
      ticket
        ? outcome(api.GET('/api/v1/districts/{id}', { params: { path: { id: ticket.districtId } } }))
        : Promise.resolve({ data: null }),
    [ticket?.districtId],
  );
  const device = useLoad(
    () =>
      ticket?.deviceId
        ? outcome(api.GET('/api/v1/devices/{id}', { params: { path: { id: ticket.deviceId } } }))
        : Promise.resolve({ data: null }),
    [ticket?.deviceId, ticket?.updatedAt],
  );
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  if (loaded.problem) return <ProblemMessage problem={loaded.problem} />;
  if (!ticket)
    return (
      <p aria-busy="true" className="loading-line">
        Loading…
      </p>
    );

  /** Runs one action; the ticket reloads after it, and the outcome is read out. */
  const act = async (call: () => Promise<Outcome<unknown>>, said: string) => {
    setBusy(true);
    setProblem(null);
    const result = await call();
    setBusy(false);
    if (result.problem) return setProblem(result.problem);
    announce(said);
    loaded.reload();
  };

  const evidence = asEvidence(ticket.evidence);
  const open = ['open', 'in_progress', 'waiting'].includes(ticket.status);
  const mayWork = session.can('workTickets') && (ticket.type === 'outreach' || session.current.role !== 'attendance');
  const studentName = ticket.student ? fullName(ticket.student) : null;
  const school = ticket.schoolId ? schools.get(ticket.schoolId) : undefined;

  return (
    <article className="record ticket">
      <h1>
        {label(ticket.type)} ticket{studentName ? `: ${studentName}` : ''}
      </h1>
      <div className="summary">
        <span className="badge">{label(ticket.status)}</span>
        <span>{ticket.priority === 1 ? 'Urgent' : 'Normal urgency'}</span>
        <span>Assigned to {ticket.assignee ?? 'nobody'}</span>
        <span>Opened {when(ticket.openedAt)}</span>
        {ticket.resolution && <span>Resolution: {ticket.resolution}</span>}
      </div>
      <ProblemMessage problem={problem} />

      {mayWork && (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Work this ticket</h2>
          <div className="actions" role="group" aria-label="Ticket actions">
            {ticket.assignee !== myName(session) && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => outcome(api.POST('/api/v1/tickets/bulk', { body: { ticketIds: [ticket.id], action: 'assign', assignee: 'me' } })),
                    'Assigned to you.',
                  )
                }
              >
                Assign to me
              </button>
            )}
            {open && ticket.studentId && (ticket.type === 'replacement' || ticket.type === 'connectivity') && (
              <IssueSpare ticket={ticket} busy={busy} onIssue={act} />
            )}
          </div>
          <StatusForm ticket={ticket} busy={busy} onSave={act} />
          {device.data && ticket.studentId && studentName && (
            <div>
              <h3>The ticket's device</h3>
              <p>
                <Link to={`/devices/${device.data.id}`}>{device.data.assetTag ?? device.data.serialNumber}</Link>:{' '}
                {label(device.data.status)}
              </p>
              <DeviceActions
                device={device.data}
                holder={
                  device.data.holder?.studentId === ticket.studentId
                    ? { assignmentId: device.data.holder.assignmentId, studentId: ticket.studentId, name: studentName }
                    : null
                }
                onDone={() => {
                  loaded.reload();
                  device.reload();
                }}
              />
            </div>
          )}
        </section>
      )}

      <section aria-labelledby="why-heading">
        <h2 id="why-heading">Why this ticket</h2>
        {ticket.reasons.length ? (
          <ul>
            {ticket.reasons.map((reason) => (
              <li key={reason}>{reasonSentence(reason)}</li>
            ))}
          </ul>
        ) : (
          <p>
            {ticket.type === 'outreach'
              ? 'The student has working equipment but has not logged in: reach the family.'
              : 'No reason recorded.'}
          </p>
        )}
        {ticket.note && <p>Note: {ticket.note}</p>}
      </section>

      <section aria-labelledby="student-heading">
        <h2 id="student-heading">Student</h2>
        {ticket.student && ticket.studentId ? (
          <p>
            <Link to={`/students/${ticket.studentId}`}>{studentName}</Link>, student ID {ticket.student.sourcedId}
            {ticket.student.grade ? `, grade ${ticket.student.grade}` : ''}
            {school ? `, ${school.name}` : ''}
          </p>
        ) : (
          <p>No student on this ticket.</p>
        )}
        <h3>Login gap</h3>
        <GapTimeline evidence={evidence} district={district.data} />
      </section>

      <section aria-labelledby="equipment-heading">
        <h2 id="equipment-heading">Devices and internet</h2>
        <Equipment evidence={evidence} />
      </section>

      {(ticket.type === 'outreach' || ticket.familyContacts) && (
        <section aria-labelledby="outreach-heading">
          <h2 id="outreach-heading">Family and outreach</h2>
          <FamilyContacts contacts={ticket.familyContacts} />
          {session.can('homeVisitSheet') && ticket.schoolId && (
            <p>
              <a href={`/api/v1/tickets/home-visit-sheet?schoolId=${ticket.schoolId}`} download>
                Home-visit sheet for {school?.name ?? 'this school'} (PDF)
              </a>
            </p>
          )}
          {mayWork && open && <OutreachForm ticket={ticket} busy={busy} onLog={act} />}
          {ticket.outreachAttempts.length ? (
            <table>
              <caption>Attempts</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {ticket.outreachAttempts.map((attempt) => (
                  <tr key={attempt.id}>
                    <td>{when(attempt.attemptedAt)}</td>
                    <td>{label(attempt.channel)}</td>
                    <td>{label(attempt.outcome)}</td>
                    <td>{attempt.note ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No attempts logged yet.</p>
          )}
        </section>
      )}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ol className="history">
          {ticket.history.map((event, index) => (
            <li key={index}>
              {when(event.occurredAt)} — {historyLine(event)} <span className="hint">({event.actor})</span>
            </li>
          ))}
        </ol>
        {mayWork && <CommentForm ticket={ticket} busy={busy} onComment={act} />}
      </section>
    </article>
  );
}

type Act = (call: () => Promise<Outcome<unknown>>, said: string) => Promise<void>;

/**
 * One step from the school's spare pool: the first in-stock Chromebook (a hotspot for connectivity) of
 * the ticket's school, issued to the student; issuing resolves the ticket (README, "Login gaps and tickets").
 */
function IssueSpare({ ticket, busy, onIssue }: { ticket: Ticket; busy: boolean; onIssue: Act }) {
  const kind = ticket.type === 'connectivity' ? 'hotspot' : 'chromebook';
  const issue = async (): Promise<Outcome<unknown>> => {
    const spare = await outcome(
      api.GET('/api/v1/devices', {
        params: { query: { schoolId: ticket.schoolId ?? undefined, kind, status: 'in_stock', limit: 1 } },
      }),
    );
    if (spare.problem) return spare;
    const device = spare.data.data[0];
    if (!device) return { problem: { status: 0, code: 'no_spare', detail: `The school has no ${kind} in stock to issue.` } };
    return outcome(
      api.POST('/api/v1/assignments', {
        params: { header: { 'Idempotency-Key': idempotencyKey() } },
        body: { deviceId: device.id, studentId: ticket.studentId!, kind: 'primary' },
      }),
    );
  };
  return (
    <button type="button" disabled={busy} onClick={() => void onIssue(issue, `A spare ${kind} was issued; the ticket is resolved.`)}>
      Issue a spare {kind === 'hotspot' ? 'hotspot' : 'Chromebook'} from the school's pool
    </button>
  );
}

function StatusForm({ ticket, busy, onSave }: { ticket: Ticket; busy: boolean; onSave: Act }) {
  const [status, setStatus] = useState(ticket.status);
  const [resolution, setResolution] = useState('');
  const settling = status === 'resolved' || status === 'closed';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = TICKET_STATUSES.find((s) => s === status);
    if (!next) return;
    void onSave(
      () =>
        outcome(
          api.PATCH('/api/v1/tickets/{id}', {
            params: { path: { id: ticket.id } },
            body: { status: next, resolution: settling && resolution.trim() ? resolution.trim() : undefined },
          }),
        ),
      `Status set to ${label(next).toLowerCase()}.`,
    );
  };
  return (
    <form className="filters" aria-label="Change status" onSubmit={submit}>
      <Field label="Status">
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as Ticket['status'])}>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {settling && (
        <Field label="Resolution">
          {(id) => <input id={id} value={resolution} onChange={(e) => setResolution(e.target.value)} maxLength={200} required />}
        </Field>
      )}
      <button type="submit" className="secondary" disabled={busy || status === ticket.status}>
        Save status
      </button>
    </form>
  );
}

function CommentForm({ ticket, busy, onComment }: { ticket: Ticket; busy: boolean; onComment: Act }) {
  const [body, setBody] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    void onComment(
      () => outcome(api.POST('/api/v1/tickets/{id}/comments', { params: { path: { id: ticket.id } }, body: { body: body.trim() } })),
      'Comment added.',
    ).then(() => setBody(''));
  };
  return (
    <form aria-label="Add a comment" onSubmit={submit}>
      <Field label="Comment">
        {(id) => <textarea id={id} rows={2} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <button type="submit" className="secondary" disabled={busy || !body.trim()}>
        Add comment
      </button>
    </form>
  );
}

/** Two clicks: the channel, then the outcome (which logs it); a note is optional. */
function OutreachForm({ ticket, busy, onLog }: { ticket: Ticket; busy: boolean; onLog: Act }) {
  const [channel, setChannel] = useState<(typeof OUTREACH_CHANNELS)[number]['value']>('call');
  const [note, setNote] = useState('');
  const log = (result: (typeof OUTREACH_OUTCOMES)[number]) =>
    void onLog(
      () =>
        outcome(
          api.POST('/api/v1/tickets/{id}/outreach-attempts', {
            params: { path: { id: ticket.id } },
            body: { channel, outcome: result.value, note: note.trim() || undefined },
          }),
        ),
      `Logged: ${label(channel).toLowerCase()}, ${result.label.toLowerCase()}.`,
    ).then(() => setNote(''));
  return (
    <fieldset className="choice">
      <legend>Log an attempt</legend>
      <div className="outreach-quick" role="radiogroup" aria-label="Channel">
        {OUTREACH_CHANNELS.map((option) => (
          <label key={option.value}>
            <input type="radio" name="channel" checked={channel === option.value} onChange={() => setChannel(option.value)} />{' '}
            {option.label}
          </label>
        ))}
      </div>
      <Field label="Note (optional)">
        {(id) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />}
      </Field>
      <div className="outreach-quick" role="group" aria-label="Outcome: logs the attempt">
        {OUTREACH_OUTCOMES.map((option) => (
          <button key={option.value} type="button" className="secondary" disabled={busy} onClick={() => log(option)}>
            {option.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function FamilyContacts({ contacts }: { contacts: Ticket['familyContacts'] }) {
  if (!contacts) return <p>Family contacts are not shown to your role.</p>;
  return (
    <>
      <p>Home language: {contacts.homeLanguage ?? 'not known'}.</p>
      {contacts.guardians.length ? (
        <ul>
          {contacts.guardians.map((g) => (
            <li key={g.sourcedId}>
              {g.givenName} {g.familyName} ({g.relation}){g.phone ? `, phone ${g.phone}` : ''}
              {g.sms ? `, text ${g.sms}` : ''}
              {g.email ? `, ${g.email}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p>The roster links no guardian to this student.</p>
      )}
    </>
  );
}

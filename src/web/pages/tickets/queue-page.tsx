import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Problem, type Schemas } from '../../api/client';
import { Link } from '../../router';
import { useSession, type Session } from '../../session';
import { useAnnounce } from '../../shell/announcer';
import { ActionDialog, Field } from '../../ui/action-dialog';
import { formValue, fullName, label, pick, toggled, when } from '../../ui/format';
import { Pager, useCursors } from '../../ui/pager';
import { outcome, ProblemMessage } from '../../ui/problem';
import { useSchools } from '../../ui/schools';
import { useLoad } from '../../ui/use-load';
import { reasonShort, TICKET_STATUSES, TICKET_TYPES } from './ticket-words';
import '../records.css';
import './tickets.css';

type Ticket = Schemas['TicketDto'];
type TicketType = (typeof TICKET_TYPES)[number];
type TicketStatus = (typeof TICKET_STATUSES)[number];

const PAGE_SIZE = 50;
/** How often the queue asks for changes (README: 15-30 s is plenty; a little faster so a new ticket shows soon). */
export const POLL_MS = 10_000;
const OPEN: readonly string[] = ['open', 'in_progress', 'waiting'];

interface Filters {
  /** Comma-separated, as the API takes it: one type or several (the help desk's three). */
  type?: string;
  schoolId?: string;
  reason?: string;
  status?: TicketStatus;
  /** Empty: mine, then unassigned. */
  assignee?: string;
  sort: 'age' | 'priority';
}

/** The help desk's work: equipment, whichever kind. */
const EQUIPMENT = 'replacement,connectivity,repair';

/** The help desk starts on its three types, the attendance team on outreach; everyone else on every type. */
function defaultType(role: Session['current']['role']): string | undefined {
  if (role === 'attendance') return 'outreach';
  if (role === 'helpdesk' || role === 'tech') return EQUIPMENT;
  return undefined;
}

/** Known ticket types from a comma-separated list, kept comma-separated; undefined when none is known. */
function types(value: string | null | undefined): string | undefined {
  const known = (value ?? '').split(',').filter((part): part is TicketType => TICKET_TYPES.some((type) => type === part));
  return known.length ? known.join(',') : undefined;
}

/** The filters as the URL has them, so a view can be bookmarked, shared and reloaded; the role's default when it has none. */
function filtersFromUrl(role: Session['current']['role']): Filters {
  const params = new URLSearchParams(window.location.search);
  const type = params.get('type');
  return {
    type: type === 'all' ? undefined : (types(type) ?? defaultType(role)),
    schoolId: params.get('schoolId') ?? undefined,
    reason: params.get('reason') ?? undefined,
    status: pick(TICKET_STATUSES, params.get('status')),
    assignee: params.get('assignee') ?? undefined,
    sort: params.get('sort') === 'priority' ? 'priority' : 'age',
  };
}

function writeUrl(filters: Filters): void {
  const params = new URLSearchParams();
  params.set('type', filters.type ?? 'all');
  for (const key of ['schoolId', 'reason', 'status', 'assignee'] as const) if (filters[key]) params.set(key, filters[key]);
  if (filters.sort !== 'age') params.set('sort', filters.sort);
  window.history.replaceState(null, '', `${window.location.pathname}?${params.toString()}`);
}

/** Who the caller is on a ticket's assignee line: the token's name or the staff user's email (README, "My work"). */
function myName(session: Session): string | null {
  return session.current.staffUser?.email ?? session.current.token?.name ?? null;
}

/** Whether a changed ticket belongs in the view: the same filters the API applies. */
function matches(ticket: Ticket, filters: Filters, assignee: string | null | undefined): boolean {
  if (filters.type && !filters.type.split(',').includes(ticket.type)) return false;
  if (filters.schoolId && ticket.schoolId !== filters.schoolId) return false;
  if (filters.reason && !ticket.reasons.includes(filters.reason)) return false;
  if (filters.status ? ticket.status !== filters.status : !OPEN.includes(ticket.status)) return false;
  return assignee === undefined || ticket.assignee === assignee;
}

/**
 * Polls the change feed; calls `apply` with each batch. The cursor is taken before the first list
 * loads (so nothing written meanwhile is missed) and kept across filter changes.
 */
function useTicketChanges(apply: (tickets: Ticket[]) => void, filters: Filters): void {
  const applyRef = useRef(apply);
  applyRef.current = apply;
  useEffect(() => {
    let live = true;
    let cursor: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const query = { schoolId: filters.schoolId, type: filters.type };
    const poll = async () => {
      let more = true;
      while (live && more) {
        const result = await outcome(api.GET('/api/v1/tickets/changes', { params: { query: { ...query, since: cursor ?? undefined } } }));
        if (result.problem) break;
        if (cursor && result.data.data.length) applyRef.current(result.data.data);
        cursor = result.data.nextCursor;
        more = result.data.more;
      }
      if (live) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filters.schoolId, filters.type]);
}

/** /tickets — the queue: mine, then unassigned, by age or urgency; filters in the URL; bulk assign or close; live updates. */
export function QueuePage() {
  const session = useSession();
  const announce = useAnnounce();
  const schools = useSchools();
  const [filters, setFilters] = useState<Filters>(() => filtersFromUrl(session.current.role));
  const pages = useCursors();
  /** "Assigned to me" pages apart from the main list: an agent with many tickets reaches them all. */
  const minePages = useCursors();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  /** Changes seen since the lists loaded, by id: applied over the rows in place, so the agent keeps their place. */
  const [changed, setChanged] = useState<Map<string, Ticket>>(new Map());
  const [dialog, setDialog] = useState<'assign' | 'close' | null>(null);
  const mineAndUnassigned = !filters.assignee;
  const mine = myName(session);

  useEffect(() => writeUrl(filters), [filters]);
  const base = { type: filters.type, schoolId: filters.schoolId, reason: filters.reason, status: filters.status, sort: filters.sort };
  const main = useLoad(
    () =>
      outcome(
        api.GET('/api/v1/tickets', {
          params: { query: { ...base, assignee: filters.assignee ?? 'none', limit: PAGE_SIZE, cursor: pages.cursor } },
        }),
      ),
    [JSON.stringify(filters), pages.cursor],
  );
  const myWork = useLoad(
    () =>
      mineAndUnassigned
        ? outcome(
            api.GET('/api/v1/tickets', { params: { query: { ...base, assignee: 'me', limit: PAGE_SIZE, cursor: minePages.cursor } } }),
          )
        : Promise.resolve({ data: { data: [], nextCursor: null } }),
    [JSON.stringify(filters), minePages.cursor],
  );

  useTicketChanges((tickets) => {
    setChanged((previous) => {
      const next = new Map(previous);
      for (const ticket of tickets) next.set(ticket.id, ticket);
      return next;
    });
    announce(`${tickets.length} ticket${tickets.length === 1 ? '' : 's'} changed or arrived.`);
  }, filters);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formValue(form, name);
    setFilters({
      type: types(text('type')),
      schoolId: text('schoolId'),
      reason: text('reason'),
      status: pick(TICKET_STATUSES, text('status')),
      assignee: text('assignee'),
      sort: text('sort') === 'priority' ? 'priority' : 'age',
    });
    setSelected(new Set());
    pages.reset();
    minePages.reset();
  };

  /** The rows of one list: as loaded, with later changes applied; arrivals that match on top (first page of the list only). */
  const rows = (loaded: Ticket[] | undefined, assignee: string | null | undefined, withArrivals: boolean) => {
    // Whichever is newer wins: a change polled while the list was reloading is not lost, nor an older one applied over it.
    const shown = (loaded ?? []).map((ticket) => {
      const later = changed.get(ticket.id);
      return later && later.updatedAt >= ticket.updatedAt ? later : ticket;
    });
    if (!withArrivals) return { shown, arrivals: [] as Ticket[] };
    const ids = new Set(shown.map((ticket) => ticket.id));
    const arrivals = [...changed.values()].filter((ticket) => !ids.has(ticket.id) && matches(ticket, filters, assignee));
    return { shown, arrivals };
  };
  const mineRows = rows(myWork.data?.data, mine, mineAndUnassigned && minePages.page === 1);
  const mainAssignee = filters.assignee === 'me' ? mine : filters.assignee === 'none' || !filters.assignee ? null : filters.assignee;
  const mainRows = rows(main.data?.data, mainAssignee, pages.page === 1);

  const visible = [...mineRows.arrivals, ...mineRows.shown, ...mainRows.arrivals, ...mainRows.shown];
  const toggle = (id: string) => setSelected((previous) => toggled(previous, id));

  const done = (message: string) => {
    setDialog(null);
    setSelected(new Set());
    announce(message);
    main.reload();
    myWork.reload();
  };

  const mayWork = session.can('workTickets');
  const table = (caption: string, list: { shown: Ticket[]; arrivals: Ticket[] }) => (
    <TicketTable
      caption={caption}
      tickets={[...list.arrivals, ...list.shown]}
      arrivals={new Set(list.arrivals.map((ticket) => ticket.id))}
      schools={schools}
      selected={mayWork ? selected : null}
      onToggle={toggle}
    />
  );

  return (
    <>
      <h1>Ticket queue</h1>
      <form className="filters" aria-label="Filter tickets" onSubmit={apply} key={JSON.stringify(filters)}>
        <Field label="Type">
          {(id) => (
            <select id={id} name="type" defaultValue={filters.type ?? ''}>
              <option value="">All types</option>
              <option value={EQUIPMENT}>Equipment (replacement, connectivity, repair)</option>
              {TICKET_TYPES.map((value) => (
                <option key={value} value={value}>
                  {label(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="School">
          {(id) => (
            <select id={id} name="schoolId" defaultValue={filters.schoolId ?? ''}>
              <option value="">All schools</option>
              {[...schools.values()].map((school) => (
                <option key={school.id} value={school.id}>
                  {school.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Reason">
          {(id) => <input id={id} name="reason" defaultValue={filters.reason ?? ''} size={14} maxLength={100} />}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} name="status" defaultValue={filters.status ?? ''}>
              <option value="">Still open</option>
              {TICKET_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {label(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Assignee">
          {(id) => (
            <select id={id} name="assignee" defaultValue={filters.assignee ?? ''}>
              <option value="">Mine, then unassigned</option>
              <option value="me">Mine</option>
              <option value="none">Unassigned</option>
              {filters.assignee && !['me', 'none'].includes(filters.assignee) && (
                <option value={filters.assignee}>{filters.assignee}</option>
              )}
            </select>
          )}
        </Field>
        <Field label="Order">
          {(id) => (
            <select id={id} name="sort" defaultValue={filters.sort}>
              <option value="age">Oldest first</option>
              <option value="priority">Most urgent first</option>
            </select>
          )}
        </Field>
        <button type="submit">Apply filters</button>
      </form>

      {mayWork && (
        <div className="actions bulk" role="group" aria-label="Selected tickets">
          <span aria-live="polite">{selected.size} selected</span>
          <button
            type="button"
            className="secondary"
            disabled={!visible.length}
            onClick={() => setSelected(selected.size ? new Set() : new Set(visible.map((ticket) => ticket.id)))}
          >
            {selected.size ? 'Clear selection' : 'Select all shown'}
          </button>
          <button type="button" className="secondary" disabled={!selected.size} onClick={() => setDialog('assign')}>
            Assign selected…
          </button>
          <button type="button" className="secondary" disabled={!selected.size} onClick={() => setDialog('close')}>
            Close selected…
          </button>
        </div>
      )}
      {dialog && <BulkDialog action={dialog} ids={[...selected]} onCancel={() => setDialog(null)} onDone={done} />}

      <ProblemMessage problem={main.problem ?? myWork.problem} />
      {mineAndUnassigned && myWork.data && (
        <section aria-labelledby="mine-heading" aria-busy={myWork.loading}>
          <h2 id="mine-heading">Assigned to me</h2>
          {mineRows.shown.length + mineRows.arrivals.length ? table('Tickets assigned to me', mineRows) : <p>Nothing assigned to you.</p>}
          {/* Most agents' work fits one page: no pager then. */}
          {(minePages.page > 1 || myWork.data.nextCursor) && (
            <Pager
              label="Assigned to me"
              page={minePages.page}
              nextCursor={myWork.data.nextCursor}
              onNext={minePages.next}
              onPrevious={minePages.previous}
            />
          )}
        </section>
      )}
      {main.data && (
        <section aria-labelledby="main-heading" aria-busy={main.loading}>
          <h2 id="main-heading">{mineAndUnassigned ? 'Unassigned' : 'Tickets'}</h2>
          {mainRows.shown.length + mainRows.arrivals.length ? table('Tickets', mainRows) : <p>No tickets match.</p>}
          <Pager label="Tickets" page={pages.page} nextCursor={main.data.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
        </section>
      )}
    </>
  );
}

function TicketTable({
  caption,
  tickets,
  arrivals,
  schools,
  selected,
  onToggle,
}: {
  caption: string;
  tickets: Ticket[];
  arrivals: Set<string>;
  schools: Map<string, Schemas['SchoolDto']>;
  selected: Set<string> | null;
  onToggle: (id: string) => void;
}) {
  return (
    <table className="queue">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {selected && (
            <th scope="col">
              <span className="visually-hidden">Select</span>
            </th>
          )}
          <th scope="col">Student</th>
          <th scope="col">Type</th>
          <th scope="col">Reasons</th>
          <th scope="col">Urgency</th>
          <th scope="col">Status</th>
          <th scope="col">School</th>
          <th scope="col">Assignee</th>
          <th scope="col">Opened</th>
        </tr>
      </thead>
      <tbody>
        {tickets.map((ticket) => {
          const name = ticket.student ? fullName(ticket.student) : `${label(ticket.type)} ticket`;
          return (
            <tr key={ticket.id} className={OPEN.includes(ticket.status) ? undefined : 'settled'}>
              {selected && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${name}`}
                    checked={selected.has(ticket.id)}
                    onChange={() => onToggle(ticket.id)}
                  />
                </td>
              )}
              <td>
                <Link to={`/tickets/${ticket.id}`}>{name}</Link>
                {arrivals.has(ticket.id) && <span className="badge new">New</span>}
              </td>
              <td>{label(ticket.type)}</td>
              <td>{ticket.reasons.map(reasonShort).join(', ') || '—'}</td>
              <td>{ticket.priority === 1 ? 'Urgent' : 'Normal'}</td>
              <td>{label(ticket.status)}</td>
              <td>{ticket.schoolId ? (schools.get(ticket.schoolId)?.name ?? '—') : '—'}</td>
              <td>{ticket.assignee ?? 'Unassigned'}</td>
              <td>{when(ticket.openedAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Assign or close the selected tickets in one request: all of them, or none (the API says which one it refused). */
function BulkDialog({
  action,
  ids,
  onCancel,
  onDone,
}: {
  action: 'assign' | 'close';
  ids: string[];
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const [value, setValue] = useState(action === 'assign' ? 'me' : '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async () => {
    setBusy(true);
    const body =
      action === 'assign'
        ? { ticketIds: ids, action, assignee: value.trim() || null }
        : { ticketIds: ids, action, resolution: value.trim() || undefined };
    const result = await outcome(api.POST('/api/v1/tickets/bulk', { body }));
    setBusy(false);
    if (result.problem) return setProblem(result.problem);
    const verb = action === 'assign' ? (value.trim() ? 'Assigned' : 'Unassigned') : 'Closed';
    onDone(`${verb} ${result.data.changed.length} ticket(s); ${result.data.unchanged.length} already so.`);
  };
  return (
    <ActionDialog
      title={action === 'assign' ? `Assign ${ids.length} ticket(s)` : `Close ${ids.length} ticket(s)`}
      submitLabel={action === 'assign' ? 'Assign' : 'Close tickets'}
      busy={busy}
      problem={problem}
      onCancel={onCancel}
      onSubmit={() => void submit()}
    >
      {action === 'assign' ? (
        <Field label="Assign to" hint="“me” for yourself, a colleague’s email, or empty to unassign.">
          {(id, hintId) => (
            <input id={id} aria-describedby={hintId} value={value} onChange={(e) => setValue(e.target.value)} maxLength={200} />
          )}
        </Field>
      ) : (
        <Field label="Reason for closing" hint="One reason for all of them, e.g. duplicate.">
          {(id, hintId) => (
            <input id={id} aria-describedby={hintId} required value={value} onChange={(e) => setValue(e.target.value)} maxLength={200} />
          )}
        </Field>
      )}
    </ActionDialog>
  );
}

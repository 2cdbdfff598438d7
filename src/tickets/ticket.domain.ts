/** The words of the help desk's queue: what the API, the repositories, the scans and the reports share. */

export const TICKET_STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** The statuses of a ticket still to be worked: the queue, and the partial indexes' predicate. */
export const OPEN_TICKET_STATUSES = ['open', 'in_progress', 'waiting'] as const satisfies readonly TicketStatus[];
/**
 * `('open','in_progress','waiting')`, for `status IN ...`: a literal list, as the partial indexes
 * (tickets_one_open_per_student_type, tickets_queue_*_idx) spell it, so the planner can match them.
 */
export const OPEN_TICKET_STATUSES_SQL = `(${OPEN_TICKET_STATUSES.map((status) => `'${status}'`).join(',')})`;

export const TICKET_TYPES = ['replacement', 'connectivity', 'outreach', 'repair'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
/** Who raised a ticket: a gap scan, a person, or a school going remote. */
export const TICKET_SOURCES = ['scan', 'manual', 'school_going_remote'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];
export const TICKET_EVENT_KINDS = [
  'opened',
  'reasons_changed',
  'status_changed',
  'assigned',
  'comment',
  'student_reconnected',
  'outreach_attempt',
] as const;

/** Device and internet reasons that leave a student with nothing to learn on: these go first. */
export const URGENT_REASONS = [
  'no_device',
  'device_broken',
  'device_in_repair_no_loaner',
  'device_disabled',
  'no_internet',
  'hotspot_suspended',
];

export interface TicketRow {
  id: string;
  districtId: string;
  type: TicketType;
  status: TicketStatus;
  priority: number;
  reasons: string[];
  source: TicketSource;
  studentId: string | null;
  deviceId: string | null;
  schoolId: string | null;
  gapId: string | null;
  assignee: string | null;
  resolution: string | null;
  note: string | null;
  /** Timestamps as ISO text (isoText), as the API answers them. */
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  student: { givenName: string; familyName: string; sourcedId: string; grade: string | null } | null;
}

/**
 * A ticket row without the paging or change-feed keys the query adds beside it. Field by field on purpose:
 * a rest pattern copying the row costs several times this literal in V8, per row of every queue page.
 */
export function ticketOf(row: TicketRow): TicketRow {
  return {
    id: row.id,
    districtId: row.districtId,
    type: row.type,
    status: row.status,
    priority: row.priority,
    reasons: row.reasons,
    source: row.source,
    studentId: row.studentId,
    deviceId: row.deviceId,
    schoolId: row.schoolId,
    gapId: row.gapId,
    assignee: row.assignee,
    resolution: row.resolution,
    note: row.note,
    openedAt: row.openedAt,
    updatedAt: row.updatedAt,
    resolvedAt: row.resolvedAt,
    student: row.student,
  };
}

export const OUTREACH_CHANNELS = ['call', 'email', 'text', 'home_visit'] as const;
export const OUTREACH_OUTCOMES = ['reached', 'no_answer', 'left_message', 'wrong_contact', 'visited', 'not_home', 'other'] as const;

/** What issuing a working device of a kind resolves: the student's open ticket of that type. */
export const ISSUE_RESOLVES: Record<string, { type: TicketType; resolution: string } | undefined> = {
  chromebook: { type: 'replacement', resolution: 'device_issued' },
  laptop: { type: 'replacement', resolution: 'device_issued' },
  hotspot: { type: 'connectivity', resolution: 'hotspot_issued' },
};

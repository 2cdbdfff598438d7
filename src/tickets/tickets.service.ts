import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor, inSchoolScope } from '../auth/scope.js';
import { versioned, type Versioned } from '../common/http/etag.js';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, encodeCursor, isSmallInt, isTimestamp, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { mayReadFamilyContacts } from '../students/student.domain.js';
import { OPEN_TICKET_STATUSES, ticketOf, type TicketStatus } from './ticket.domain.js';
import { canTransition, isOpen } from './ticket-transitions.js';
import type {
  BulkTicketChangeDto,
  BulkTicketChangeResultDto,
  CreateOutreachAttemptDto,
  CreateTicketDto,
  TicketChangesDto,
  TicketChangesQueryDto,
  TicketDetailDto,
  TicketListDto,
  TicketQueryDto,
  UpdateTicketDto,
} from './tickets.dto.js';
import { homeVisitSheetPdf } from './home-visit-sheet.presenter.js';
import { applyQueueChange, type QueueChange } from './ticket-bulk.repository.js';
import { TicketsRepository } from './tickets.repository.js';

const alreadyOpen = () => domainError('ticket_already_open');

const DEFAULT_CHANGES = 100;
/** A transaction id as the change feed's cursor writes it. */
const isXid = (value: unknown): value is string => typeof value === 'string' && /^\d{1,20}$/.test(value);
const orNull =
  <T>(valid: (value: unknown) => value is T) =>
  (value: unknown): value is T | null =>
    value === null || valid(value);
type ChangesCursor = [floor: string, nextFloor: string, afterXid: string | null, afterId: string | null];
const repairAlreadyOpen = () => domainError('repair_ticket_already_open');

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async list(principal: Principal, query: TicketQueryDto): Promise<TicketListDto> {
    const sort = query.sort ?? 'age';
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after =
      sort === 'priority'
        ? cursorKey(query.cursor, [isSmallInt, isTimestamp, isUuidKey])
        : cursorKey(query.cursor, [isTimestamp, isUuidKey]);
    const rows = await this.tickets.list(
      {
        districtId: districtFilter(principal, query.districtId),
        schoolIds: principal.schoolIds,
        statuses: query.status ? [query.status] : [...OPEN_TICKET_STATUSES],
        types: query.type,
        schoolId: query.schoolId,
        studentId: query.studentId,
        deviceId: query.deviceId,
        reason: query.reason,
        // `me` is the caller as tickets name assignees; `none`, the unassigned.
        assignee: query.assignee === 'me' ? principal.name : query.assignee === 'none' ? undefined : query.assignee,
        unassigned: query.assignee === 'none',
      },
      sort,
      limit,
      after,
    );
    const result = page(rows, limit, (r) => (sort === 'priority' ? [r.priority, r.openedAtKey, r.id] : [r.openedAtKey, r.id]));
    return { data: result.data.map(ticketOf), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<Versioned<TicketDetailDto>> {
    const { version, ...ticket } = await this.visible(this.db.manager, principal, id);
    const [history, outreachAttempts, familyContacts] = await Promise.all([
      this.tickets.history(id),
      this.tickets.outreachAttempts(id),
      // Only for the teams that reach families (and admins); never logged or queued.
      ticket.studentId && mayReadFamilyContacts(principal.role) ? this.tickets.familyContacts(ticket.studentId) : undefined,
    ]);
    return versioned({ ...ticket, history, outreachAttempts, ...(familyContacts ? { familyContacts } : {}) }, version);
  }

  async create(principal: Principal, input: CreateTicketDto): Promise<TicketDetailDto> {
    const districtId = districtFor(principal, input.districtId);
    if (input.type === 'repair' && !input.deviceId) {
      throw domainError('validation_failed', [{ field: 'deviceId', message: 'required for type repair' }]);
    }
    if (input.type !== 'repair' && !input.studentId) {
      throw domainError('validation_failed', [{ field: 'studentId', message: `required for type ${input.type}` }]);
    }
    this.assertMayHandle(principal, input.type);
    let id: string;
    try {
      id = await this.uow.run(actorOf(principal), async (tx) => {
        if (principal.schoolIds) {
          // A school-scoped caller files tickets only about their schools' students and devices.
          const schoolId = await this.tickets.schoolFor(tx.em, input.studentId ?? null, input.deviceId ?? null);
          if (!inSchoolScope(principal, schoolId)) {
            throw input.studentId
              ? referenceNotFound('student_not_found', 'studentId', input.studentId)
              : referenceNotFound('device_not_found', 'deviceId', input.deviceId);
          }
        }
        const ticketId = await this.tickets.insert(tx.em, {
          districtId,
          type: input.type,
          studentId: input.studentId ?? null,
          deviceId: input.deviceId ?? null,
          reasons: input.reasons ?? [],
          note: input.note ?? null,
          createdBy: principal.tokenId,
        });
        await this.tickets.addEvent(tx.em, ticketId, tx.actor, 'opened', { source: 'manual', reasons: input.reasons ?? [] });
        tx.audit({ districtId, entityType: 'ticket', entityId: ticketId, action: 'create', after: input });
        return ticketId;
      });
    } catch (error) {
      explainConstraint(error, {
        tickets_one_open_per_student_type: alreadyOpen,
        tickets_one_open_repair_per_device: repairAlreadyOpen,
        tickets_student_fkey: () => referenceNotFound('student_not_found', 'studentId', input.studentId),
        tickets_device_fkey: () => referenceNotFound('device_not_found', 'deviceId', input.deviceId),
      });
    }
    return this.get(principal, id);
  }

  async update(principal: Principal, id: string, input: UpdateTicketDto, ifMatch?: VersionCondition): Promise<Versioned<TicketDetailDto>> {
    try {
      await this.uow.run(actorOf(principal), async (tx) => {
        const before = await this.visible(tx.em, principal, id, true);
        this.assertMayHandle(principal, before.type);
        assertVersion(before.version, ifMatch);
        const status: TicketStatus = input.status ?? before.status;
        if (input.status && input.status !== before.status && !canTransition(before.status, input.status)) {
          throw domainError('illegal_transition', before.status, input.status);
        }
        const reopened = isOpen(status) && !isOpen(before.status);
        const resolution = isOpen(status)
          ? null
          : (input.resolution ?? before.resolution ?? (status === 'resolved' ? 'resolved_by_staff' : 'closed_by_staff'));
        const assignee = input.assignee === undefined ? before.assignee : input.assignee;
        await this.tickets.update(tx.em, id, { status, assignee, resolution: reopened ? null : resolution });
        if (status !== before.status)
          await this.tickets.addEvent(tx.em, id, tx.actor, 'status_changed', { from: before.status, to: status, resolution });
        if (assignee !== before.assignee)
          await this.tickets.addEvent(tx.em, id, tx.actor, 'assigned', { from: before.assignee, to: assignee });
        tx.audit({
          districtId: before.districtId,
          entityType: 'ticket',
          entityId: id,
          action: 'update',
          before: { status: before.status, assignee: before.assignee, resolution: before.resolution },
          after: { status, assignee, resolution },
        });
      });
    } catch (error) {
      explainConstraint(error, {
        tickets_one_open_per_student_type: alreadyOpen,
        tickets_one_open_repair_per_device: repairAlreadyOpen,
      });
    }
    return this.get(principal, id);
  }

  async comment(principal: Principal, id: string, body: string): Promise<TicketDetailDto> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const ticket = await this.visible(tx.em, principal, id);
      this.assertMayHandle(principal, ticket.type);
      await this.tickets.addEvent(tx.em, id, tx.actor, 'comment', { body });
      tx.audit({ districtId: ticket.districtId, entityType: 'ticket', entityId: id, action: 'comment', after: { body } });
    });
    return this.get(principal, id);
  }

  async addOutreachAttempt(principal: Principal, id: string, input: CreateOutreachAttemptDto): Promise<TicketDetailDto> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const ticket = await this.visible(tx.em, principal, id);
      if (ticket.type !== 'outreach') {
        throw domainError('not_an_outreach_ticket');
      }
      const attempt = {
        districtId: ticket.districtId,
        ticketId: id,
        channel: input.channel,
        outcome: input.outcome,
        attemptedAt: input.attemptedAt ?? new Date().toISOString(),
        note: input.note ?? null,
        createdBy: principal.tokenId,
      };
      const attemptId = await this.tickets.addOutreachAttempt(tx.em, attempt);
      await this.tickets.addEvent(tx.em, id, tx.actor, 'outreach_attempt', {
        attemptId,
        channel: attempt.channel,
        outcome: attempt.outcome,
      });
      tx.audit({ districtId: ticket.districtId, entityType: 'outreach_attempt', entityId: attemptId, action: 'create', after: attempt });
    });
    return this.get(principal, id);
  }

  /**
   * What changed in the queue since a poll's cursor: tickets written by transactions that poll could not
   * see yet (see TicketsRepository.changes). The cursor is [floor, next floor, after xid, after id]:
   * while a poll pages through many changes it keeps the first page's floor for the next poll.
   */
  async changes(principal: Principal, query: TicketChangesQueryDto): Promise<TicketChangesDto> {
    const limit = query.limit ?? DEFAULT_CHANGES;
    const key = query.since ? cursorKey<ChangesCursor>(query.since, [isXid, isXid, orNull(isXid), orNull(isUuidKey)]) : null;
    const filters = {
      districtId: districtFilter(principal, query.districtId),
      schoolIds: principal.schoolIds,
      schoolId: query.schoolId,
      types: query.type,
    };
    const from = key && { floor: key[0], afterXid: key[2], afterId: key[3] };
    const { rows, floor } = await this.tickets.changes(filters, from, limit + 1);
    // The next poll starts from the oldest snapshot this pass read with: the first page's.
    const nextFloor = key?.[2] ? key[1] : floor;
    const data = rows.slice(0, limit).map(ticketOf);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last
      ? { data, nextCursor: encodeCursor([key![0], nextFloor, last.changedXid, last.id]), more: true }
      : { data, nextCursor: encodeCursor([nextFloor, nextFloor, null, null]), more: false };
  }

  /** Assigns or closes many tickets at once, with one reason: all of them or, if any is not the caller's to change, none. */
  async bulkChange(principal: Principal, input: BulkTicketChangeDto): Promise<BulkTicketChangeResultDto> {
    let change: QueueChange;
    if (input.action === 'assign') {
      if (input.assignee === undefined) throw domainError('validation_failed', [{ field: 'assignee', message: 'required to assign' }]);
      change = { action: 'assign', assignee: input.assignee === 'me' ? principal.name : input.assignee };
    } else {
      if (!input.resolution) throw domainError('validation_failed', [{ field: 'resolution', message: 'required to close' }]);
      change = { action: 'close', resolution: input.resolution };
    }
    const ids = [...new Set(input.ticketIds)];
    const changed = await this.uow.run(actorOf(principal), async (tx) => {
      const found = new Map((await this.tickets.lockForChange(tx.em, ids, principal.districtId)).map((t) => [t.id, t]));
      for (const [i, id] of input.ticketIds.entries()) {
        const ticket = found.get(id);
        // Another district's or school's ticket is refused as one that does not exist, naming its place in the list.
        if (!ticket || !inSchoolScope(principal, ticket.schoolId)) throw referenceNotFound('ticket_not_found', `ticketIds[${i}]`, id);
        this.assertMayHandle(principal, ticket.type);
      }
      return applyQueueChange(tx.em, { actor: tx.actor, requestId: tx.requestId }, ids, change);
    });
    const done = new Set(changed);
    return { changed, unchanged: ids.filter((id) => !done.has(id)).sort() };
  }

  /** The printable home-visit sheet of a school's open outreach tickets (one student a page). */
  async homeVisitSheet(principal: Principal, schoolId: string): Promise<{ filename: string; pdf: Buffer }> {
    const school = await this.tickets.homeVisitSchool(schoolId, principal.districtId);
    if (!school || !inSchoolScope(principal, school.id)) throw domainError('school_not_found', schoolId);
    const tickets = await this.tickets.homeVisitTickets(school);
    const now = new Date();
    return {
      filename: `home-visits-${school.code}-${now.toISOString().slice(0, 10)}.pdf`,
      pdf: await homeVisitSheetPdf(school, tickets, now),
    };
  }

  /** The ticket, if the caller may see it: another district's, or another school's for a school-scoped caller, is absent. */
  private async visible(em: EntityManager, principal: Principal, id: string, lock = false) {
    const ticket = await this.tickets.find(em, id, principal.districtId, lock);
    if (!ticket || !inSchoolScope(principal, ticket.schoolId)) throw domainError('ticket_not_found', id);
    return ticket;
  }

  /** The attendance team works outreach; the help desk's equipment tickets are not theirs to change. */
  private assertMayHandle(principal: Principal, type: string): void {
    if (principal.role === 'attendance' && type !== 'outreach') {
      throw domainError('role_not_allowed', principal.role, `work ${type} tickets`);
    }
  }
}

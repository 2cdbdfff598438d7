import { Injectable } from '@nestjs/common';
import type { AuditAuthor } from '../audit/audit-writer.js';
import type { AuditEntry } from '../database/audit-sink.js';
import { domainError } from '../common/errors/error-codes.js';
import { explainConstraint } from '../database/pg-errors.js';
import type { Tx } from '../database/unit-of-work.js';
import type { Condition, DeviceStatus } from '../devices/device.domain.js';
import { recordWriteBacks, type WriteBackCause } from '../connectors/write-backs.repository.js';
import { AssignmentsRepository, type LockedDevice, type ReleaseRow } from './assignments.repository.js';
import type { AssignmentKind, AssignmentRow, EndReason } from './custody.domain.js';
import { AssignmentDto } from './custody.dto.js';

export interface IssueRequest {
  deviceId: string;
  studentId: string;
  kind: AssignmentKind;
  loanerForDeviceId?: string | null;
  acknowledgement?: { signerName: string; signedAt?: string } | null;
}

interface DeviceState {
  status: DeviceStatus;
  condition: Condition;
}

/** A custody workflow moved a device from one status (and condition) to another. */
export function deviceTransition(
  districtId: string,
  deviceId: string,
  action: string,
  before: DeviceState,
  after: DeviceState,
): AuditEntry {
  return {
    districtId,
    entityType: 'device',
    entityId: deviceId,
    action,
    before: { status: before.status, condition: before.condition },
    after: { status: after.status, condition: after.condition },
  };
}

function assignmentEnded(row: AssignmentRow): AuditEntry {
  const after = AssignmentDto.from(row);
  const before = { ...after, active: true, endedAt: null, endReason: null, returnedCondition: null, returnNote: null, endedBy: null };
  return { districtId: row.districtId, entityType: 'assignment', entityId: row.id, action: 'end', before, after };
}

/**
 * A request issuing or taking back many devices (a distribution or collection day's list) is audited as
 * one entry per entity type instead of one per record, as an import batch is: the device entry names every
 * device (entityIds) and holds each one's transition in `after.lines`, the assignment entry names and
 * holds every assignment as it now stands.
 * GET /audit-events?entityType=&entityId= finds them for any of those records; a student's custody
 * stays in assignments (GET /assignments?studentId=).
 * Writing 4,000 audit rows was a large part of a 2,000-line request (issue #17).
 */
function batched(entries: AuditEntry[], assignments: AssignmentRow[]): AuditEntry[] {
  // The first assignment's id names the batch (entity_id is required, and unique labels keep lookups exact).
  const batch = `batch:${assignments[0].id}`;
  return (['device', 'assignment'] as const).map((entityType) => {
    const mine = entries.filter((e) => e.entityType === entityType);
    return {
      districtId: mine[0].districtId,
      entityType,
      entityId: batch,
      action: mine[0].action,
      after: { lines: mine.map((e) => (entityType === 'device' ? { deviceId: e.entityId, before: e.before, after: e.after } : e.after)) },
      entityIds: mine.map((e) => e.entityId),
    };
  });
}

/** Whom a custody statement's ticket and audit rows name. */
const authorOf = (tx: Tx): AuditAuthor => ({ actor: tx.actor, requestId: tx.requestId });

/** Google Admin shows who holds a Chromebook: queued for the devices of districts that write back. */
function annotateHolders(
  tx: Tx,
  districtId: string,
  changed: AssignmentRow[],
  locked: Map<string, LockedDevice>,
  cause: Extract<WriteBackCause, 'issue' | 'return'>,
): Promise<void> {
  const deviceIds = changed.filter((a) => locked.get(a.deviceId)!.mayWriteBack).map((a) => a.deviceId);
  return recordWriteBacks(tx, districtId, deviceIds, 'annotate', cause);
}

/** A second active assignment for a device can only mean it was taken meanwhile. */
const ISSUE_CONSTRAINTS: Record<string, () => Error> = {
  assignments_one_active_per_device: () => domainError('device_not_available', 'taken'),
};

/**
 * Where custody changes hands. Every path that gives a student a device (single and bulk issue, a
 * loaner at repair intake, a device back from repair) goes through issue(), and every return through
 * release(), each set-based and audited here, so a rule about issuing or returning has one home.
 */
@Injectable()
export class CustodyLedger {
  constructor(private readonly assignments: AssignmentsRepository) {}

  /**
   * Issues what can be issued and returns those assignments. A request whose device is not in stock
   * (any more), or whose student is not an active student of the district, is left out and nothing is
   * written for it: the caller explains the refusal. `lockedInStock`: the requests' issuable devices, when
   * the caller has already locked them (one lookup that is also the lock; a round trip fewer).
   */
  async issue(tx: Tx, districtId: string, requests: IssueRequest[], lockedInStock?: LockedDevice[]): Promise<AssignmentRow[]> {
    if (!requests.length) return [];
    const locked = new Map(
      (
        lockedInStock ??
        (await this.assignments.lockInStock(
          tx.em,
          districtId,
          requests.map((r) => r.deviceId),
        ))
      ).map((d) => [d.id, d]),
    );
    const rows = requests
      .filter((r) => locked.has(r.deviceId))
      .map((r) => ({
        deviceId: r.deviceId,
        studentId: r.studentId,
        kind: r.kind,
        loanerForDeviceId: r.loanerForDeviceId ?? null,
        signerName: r.acknowledgement?.signerName ?? null,
        signedAt: r.acknowledgement?.signedAt ?? null,
      }));
    if (!rows.length) return [];
    // A single issue's audit rows go with its statement, unless the transaction audited something before
    // it (the trail keeps the order things happened in); its tickets always do.
    const single = rows.length === 1 && !tx.hasAudits() ? locked.get(rows[0].deviceId)! : null;
    let issued: AssignmentRow[];
    try {
      issued = await this.assignments.issue(tx.em, districtId, rows, { author: authorOf(tx), auditOf: single });
    } catch (error) {
      explainConstraint(error, ISSUE_CONSTRAINTS);
    }
    if (!single) this.auditIssued(tx, districtId, issued, locked);
    await annotateHolders(tx, districtId, issued, locked, 'issue');
    return issued;
  }

  private auditIssued(tx: Tx, districtId: string, issued: AssignmentRow[], locked: Map<string, LockedDevice>): void {
    const entries = issued.flatMap((a) => {
      const before = locked.get(a.deviceId)!;
      return [
        deviceTransition(districtId, a.deviceId, 'assign', before, {
          status: a.kind === 'loaner' ? 'loaner' : 'assigned',
          condition: before.condition,
        }),
        { districtId, entityType: 'assignment', entityId: a.id, action: 'create', after: AssignmentDto.from(a) },
      ];
    });
    tx.audit(...(issued.length > 1 ? batched(entries, issued) : entries));
  }

  /**
   * Ends active assignments and puts their devices back in stock (with the returned condition, when
   * one is given). Assignments that are no longer active are skipped; the ones ended are returned.
   * `lockedHeld`: the assignments' devices, when the caller has already locked them (a round trip fewer).
   */
  async release(
    tx: Tx,
    districtId: string,
    reason: EndReason,
    requests: ReleaseRow[],
    lockedHeld?: LockedDevice[],
  ): Promise<AssignmentRow[]> {
    if (!requests.length) return [];
    const locked = new Map(
      (
        lockedHeld ??
        (await this.assignments.lockHeldDevices(
          tx.em,
          districtId,
          requests.map((r) => r.assignmentId),
        ))
      ).map((d) => [d.id, d]),
    );
    if (!locked.size) return [];
    const single = requests.length === 1 && locked.size === 1 && !tx.hasAudits() ? [...locked.values()][0] : null;
    const ended = await this.assignments.release(tx.em, districtId, reason, requests, { author: authorOf(tx), auditOf: single });
    if (!single) this.auditEnded(tx, districtId, ended, locked);
    await annotateHolders(tx, districtId, ended, locked, 'return');
    return ended;
  }

  private auditEnded(tx: Tx, districtId: string, ended: AssignmentRow[], locked: Map<string, LockedDevice>): void {
    const entries = ended.flatMap((a) => {
      const before = locked.get(a.deviceId)!;
      return [
        deviceTransition(districtId, a.deviceId, 'return', before, {
          status: 'in_stock',
          condition: a.returnedCondition ?? before.condition,
        }),
        assignmentEnded(a),
      ];
    });
    tx.audit(...(ended.length > 1 ? batched(entries, ended) : entries));
  }

  /**
   * Ends the device's active assignment, if it has one, for a workflow that has locked the device
   * and gives it another status itself (repair, loss, retirement).
   */
  async endActive(tx: Tx, deviceId: string, reason: EndReason): Promise<AssignmentRow | null> {
    const ended = await this.assignments.endActive(tx.em, deviceId, reason, tx.actor.tokenId);
    if (ended) tx.audit(assignmentEnded(ended));
    return ended;
  }
}

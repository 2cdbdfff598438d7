import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFor } from '../auth/scope.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { AssignmentsRepository, type BulkAssignResolution, type BulkReturnResolution } from './assignments.repository.js';
import type { BulkAssignDto, BulkAssignLineDto, BulkLineResultDto, BulkResultDto, BulkReturnDto, BulkReturnLineDto } from './bulk.dto.js';
import { CustodyLedger } from './custody-ledger.service.js';
import type { DomainError } from '../common/errors/domain-error.js';
import { domainError } from '../common/errors/error-codes.js';
import { issueRefusal, signedInFuture } from './custody-refusals.js';

type Numbered<T> = T & { line: number };

/** A line's result, or, for a line that may go ahead, the ids it needs. */
type Verdict = { result: BulkLineResultDto } | { deviceId: string; studentId: string } | { assignmentId: string };

function rejected(line: { line: number; assetTag: string }, why: DomainError): { result: BulkLineResultDto } {
  return { result: { line: line.line, assetTag: line.assetTag, outcome: 'rejected', code: why.code, message: why.message } };
}

/** Lines repeating an asset tag seen earlier in the same list, with the line that first named it. */
function repeats(lines: Numbered<{ assetTag: string }>[]): Map<number, number> {
  const first = new Map<string, number>();
  const repeated = new Map<number, number>();
  for (const { line, assetTag } of lines) {
    const seen = first.get(assetTag);
    if (seen === undefined) first.set(assetTag, line);
    else repeated.set(line, seen);
  }
  return repeated;
}

function judgeAssign(line: Numbered<BulkAssignLineDto>, r: BulkAssignResolution): Verdict {
  if (signedInFuture(line.acknowledgement?.signedAt)) return rejected(line, domainError('signed_in_future'));
  if (!r.deviceId) return rejected(line, domainError('device_not_found', line.assetTag, 'asset tag'));
  if (!r.studentId) return rejected(line, domainError('student_not_found', line.studentSourcedId, 'sourcedId'));
  if (r.holderId === r.studentId && r.holdingAssignmentId) {
    return { result: { line: line.line, assetTag: line.assetTag, outcome: 'already_assigned', assignmentId: r.holdingAssignmentId } };
  }
  if ((r.deviceStatus !== 'in_stock' && !r.holderUnknown) || r.studentStatus !== 'active') {
    const refusal = issueRefusal(
      {
        deviceStatus: r.deviceStatus,
        holderUnknown: r.holderUnknown,
        holderId: r.holderId,
        studentFound: true,
        studentStatus: r.studentStatus,
      },
      r.studentId,
    );
    return rejected(line, refusal);
  }
  return { deviceId: r.deviceId, studentId: r.studentId };
}

function judgeReturn(line: Numbered<BulkReturnLineDto>, r: BulkReturnResolution): Verdict {
  if (!r.deviceId) return rejected(line, domainError('device_not_found', line.assetTag, 'asset tag'));
  if (r.assignmentId) return { assignmentId: r.assignmentId };
  if (r.deviceStatus === 'in_stock') return { result: { line: line.line, assetTag: line.assetTag, outcome: 'already_returned' } };
  return rejected(line, domainError('device_not_assigned', String(r.deviceStatus)));
}

/**
 * Distribution and collection days: a list of scans answered line by line. Each request resolves all
 * its lines in one query and applies the valid ones in one statement; a line that cannot go ahead is
 * reported and the others proceed. Sending the same list again finds every line already done.
 */
@Injectable()
export class BulkCustodyService {
  constructor(
    private readonly ledger: CustodyLedger,
    private readonly assignments: AssignmentsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async assign(principal: Principal, input: BulkAssignDto): Promise<BulkResultDto> {
    const districtId = districtFor(principal, input.districtId);
    const lines = input.lines.map((l, i) => ({ ...l, line: i + 1 }));
    const results = await this.uow.run(actorOf(principal), async (tx) => {
      const judge = (subset: Numbered<BulkAssignLineDto>[]) =>
        this.judge(subset, (s) => this.resolveAssign(tx, districtId, principal.schoolIds, s), judgeAssign);
      const verdicts = await judge(lines);
      const go = lines.flatMap((l) => {
        const v = verdicts.get(l.line)!;
        return 'studentId' in v ? [{ ...l, deviceId: v.deviceId, studentId: v.studentId }] : [];
      });
      const issued = new Map(
        (
          await this.ledger.issue(
            tx,
            districtId,
            go.map((l) => ({
              deviceId: l.deviceId,
              studentId: l.studentId,
              kind: 'primary' as const,
              acknowledgement: l.acknowledgement ?? null,
            })),
          )
        ).map((a) => [a.deviceId, a]),
      );
      // A line that lost a race with another request is judged again on what the database holds now.
      const missed = go.filter((l) => !issued.has(l.deviceId));
      const again = missed.length ? await judge(missed) : new Map<number, Verdict>();
      return lines.map((l): BulkLineResultDto => {
        const v = again.get(l.line) ?? verdicts.get(l.line)!;
        if ('result' in v) return v.result;
        const assignment = 'deviceId' in v ? issued.get(v.deviceId) : undefined;
        return assignment
          ? { line: l.line, assetTag: l.assetTag, outcome: 'assigned', assignmentId: assignment.id }
          : rejected(l, domainError('device_not_available', 'taken')).result;
      });
    });
    return { districtId, results };
  }

  async return(principal: Principal, input: BulkReturnDto): Promise<BulkResultDto> {
    const districtId = districtFor(principal, input.districtId);
    const lines = input.lines.map((l, i) => ({ ...l, line: i + 1 }));
    const results = await this.uow.run(actorOf(principal), async (tx) => {
      const judge = (subset: Numbered<BulkReturnLineDto>[]) =>
        this.judge(subset, (s) => this.resolveReturn(tx, districtId, principal.schoolIds, s), judgeReturn);
      const verdicts = await judge(lines);
      const go = lines.flatMap((l) => {
        const v = verdicts.get(l.line)!;
        return 'assignmentId' in v ? [{ ...l, assignmentId: v.assignmentId }] : [];
      });
      const ended = new Map(
        (
          await this.ledger.release(
            tx,
            districtId,
            'returned',
            go.map((l) => ({ assignmentId: l.assignmentId, condition: l.condition, note: l.note ?? null })),
          )
        ).map((a) => [a.id, a]),
      );
      const missed = go.filter((l) => !ended.has(l.assignmentId));
      const again = missed.length ? await judge(missed) : new Map<number, Verdict>();
      return lines.map((l): BulkLineResultDto => {
        const v = again.get(l.line) ?? verdicts.get(l.line)!;
        if ('result' in v) return v.result;
        const assignment = 'assignmentId' in v ? ended.get(v.assignmentId) : undefined;
        // Still held after a race means another request ended this assignment and issued the device anew.
        return assignment
          ? { line: l.line, assetTag: l.assetTag, outcome: 'returned', assignmentId: assignment.id }
          : rejected(l, domainError('device_not_available', 'changed_hands')).result;
      });
    });
    return { districtId, results };
  }

  /** Verdicts by line: repeated asset tags are refused outright, the rest judged on one resolving query. */
  private async judge<L extends Numbered<{ assetTag: string }>, R extends { line: number }>(
    lines: L[],
    resolve: (lines: L[]) => Promise<R[]>,
    verdictOf: (line: L, resolution: R) => Verdict,
  ): Promise<Map<number, Verdict>> {
    const repeated = repeats(lines);
    const verdicts = new Map<number, Verdict>();
    for (const l of lines) {
      const first = repeated.get(l.line);
      if (first !== undefined) verdicts.set(l.line, rejected(l, domainError('duplicate_line', first)));
    }
    const byLine = new Map(lines.map((l) => [l.line, l]));
    for (const r of await resolve(lines.filter((l) => !verdicts.has(l.line)))) verdicts.set(r.line, verdictOf(byLine.get(r.line)!, r));
    return verdicts;
  }

  /** `schoolIds`: a school-scoped caller's schools; a line naming a device or student of another school is refused as unknown. */
  private resolveAssign(
    tx: Tx,
    districtId: string,
    schoolIds: string[] | null,
    lines: Numbered<BulkAssignLineDto>[],
  ): Promise<BulkAssignResolution[]> {
    return this.assignments.resolveBulkAssign(
      tx.em,
      districtId,
      schoolIds,
      lines.map((l) => ({ line: l.line, assetTag: l.assetTag, studentSourcedId: l.studentSourcedId })),
    );
  }

  private resolveReturn(
    tx: Tx,
    districtId: string,
    schoolIds: string[] | null,
    lines: Numbered<BulkReturnLineDto>[],
  ): Promise<BulkReturnResolution[]> {
    return this.assignments.resolveBulkReturn(
      tx.em,
      districtId,
      schoolIds,
      lines.map((l) => ({ line: l.line, assetTag: l.assetTag })),
    );
  }
}

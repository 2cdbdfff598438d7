import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { actorOf, inSchoolScope } from '../auth/scope.js';
import { domainError } from '../common/errors/error-codes.js';
import { one, q, run } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { LearningModel } from '../students/student.domain.js';
import { equipmentVerdict } from './equipment-verdict.sql.js';
import { GapScanEngine } from './gap-scan.engine.js';
import { LearningModelChangesRepository } from './learning-model-changes.repository.js';
import { subjectsOfSchool } from './scan-tables.js';
import { isIsoDate } from './school-days.js';

export interface LearningModelChangeInput {
  learningModel: LearningModel;
  from: string;
  to: string;
}

export interface ReadinessRow {
  studentId: string;
  sourcedId: string;
  givenName: string;
  familyName: string;
  grade: string | null;
  deviceReasons: string[];
  internetReasons: string[];
}

/** A school going remote at short notice: who would lack equipment, and tickets raised before anyone misses a day. */
@Injectable()
export class RemoteReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engine: GapScanEngine,
    private readonly changes: LearningModelChangesRepository,
  ) {}

  async changeLearningModel(principal: Principal, schoolId: string, input: LearningModelChangeInput) {
    for (const field of ['from', 'to'] as const) {
      if (!isIsoDate(input[field])) {
        throw domainError('validation_failed', [{ field, message: 'must be a date YYYY-MM-DD' }]);
      }
    }
    if (input.from > input.to) {
      throw domainError('validation_failed', [{ field: 'to', message: 'must not be before from' }]);
    }
    return this.uow.run(actorOf(principal), async (tx) => {
      const school = await this.school(tx.em, principal, schoolId);
      const changeId = await this.changes.insert(tx.em, {
        districtId: school.districtId,
        schoolId,
        learningModel: input.learningModel,
        from: input.from,
        to: input.to,
        createdBy: principal.tokenId,
      });
      tx.audit({
        districtId: school.districtId,
        entityType: 'school_learning_model_change',
        entityId: changeId,
        action: 'create',
        after: { schoolId, ...input },
      });
      let tickets = { opened: 0, updated: 0 };
      if (input.learningModel !== 'in_person') {
        const subjects = await subjectsOfSchool(tx.em, schoolId);
        tickets = await this.engine.applyVerdict(tx.em, actorOf(principal), school.districtId, subjects, new Date(), {
          extraReason: 'school_going_remote',
          outreach: false,
          source: 'school_going_remote',
        });
      }
      return { id: changeId, schoolId, ...input, ticketsOpened: tickets.opened, ticketsUpdated: tickets.updated };
    });
  }

  /** Writes nothing lasting: the verdict reads a temp table, which needs a transaction to live in. */
  async readiness(
    principal: Principal,
    schoolId: string,
  ): Promise<{ schoolId: string; studentsChecked: number; students: ReadinessRow[] }> {
    return this.db.transaction('REPEATABLE READ', async (em) => {
      const school = await this.school(em, principal, schoolId);
      const subjects = await subjectsOfSchool(em, schoolId);
      const { rows } = await run<ReadinessRow>(
        em,
        q`WITH verdict AS (${equipmentVerdict(subjects, school.districtId, new Date())})
         SELECT s.id AS "studentId", s.sourced_id AS "sourcedId", s.given_name AS "givenName", s.family_name AS "familyName",
           s.grade, v.device_reasons AS "deviceReasons", v.internet_reasons AS "internetReasons"
         FROM verdict v JOIN students s ON s.id = v.student_id
         WHERE cardinality(v.device_reasons) > 0 OR cardinality(v.internet_reasons) > 0
         ORDER BY s.family_name, s.given_name, s.id`,
      );
      const checked = await run<{ n: number }>(em, q`SELECT count(*)::int AS n FROM ${subjects.ref}`);
      return { schoolId, studentsChecked: checked.rows[0].n, students: rows };
    });
  }

  private async school(em: EntityManager, principal: Principal, schoolId: string): Promise<{ districtId: string }> {
    const school = await one<{ districtId: string }>(
      em,
      `SELECT district_id AS "districtId" FROM schools WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)`,
      [schoolId, principal.districtId],
    );
    if (!school || !inSchoolScope(principal, schoolId)) throw domainError('school_not_found', schoolId);
    return school;
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { one } from '../database/sql.js';
import type { LearningModel } from '../students/student.domain.js';

/** A school's learning model for a span of days, overriding its students' own (the scan reads them). */
@Injectable()
export class LearningModelChangesRepository {
  async insert(
    em: EntityManager,
    change: { districtId: string; schoolId: string; learningModel: LearningModel; from: string; to: string; createdBy: string | null },
  ): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO school_learning_model_changes (district_id, school_id, learning_model, from_date, to_date, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [change.districtId, change.schoolId, change.learningModel, change.from, change.to, change.createdBy],
    );
    return row!.id;
  }
}

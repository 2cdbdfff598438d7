import { Injectable } from '@nestjs/common';
import { assertVersion, type VersionCondition } from '../common/versions.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { csvLines } from '../common/csv.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isText, isUuidKey, page } from '../common/http/pagination.js';
import { explainConstraint, pgError } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor, inSchoolScope } from '../auth/scope.js';
import {
  STUDENT_CSV_COLUMNS,
  StudentDto,
  type CreateStudentDto,
  type StudentListQueryDto,
  type StudentPageDto,
  type UpdateStudentDto,
} from './students.dto.js';
import { StudentsRepository, type StudentListKey, type StudentSearchKey, type StudentSearchRow } from './students.repository.js';
import { mayReadFamilyContacts } from './student.domain.js';

/** The composite foreign key refuses a school of another district exactly as it refuses an unknown one. */
function constraints(input: { schoolId?: string; sourcedId?: string }) {
  return {
    students_school_fkey: () => referenceNotFound('school_not_found', 'schoolId', input.schoolId),
    students_district_sourced_id_key: () => domainError('duplicate_sourced_id', 'student', String(input.sourcedId)),
  };
}

/** A text search's tiers (StudentsRepository.search). */
const isTier = (value: unknown): value is number => typeof value === 'number' && [0, 1, 2, 3].includes(value);

const searchKey = (row: StudentSearchRow): (string | number)[] => [row.tier, row.keyA, row.keyB, row.districtId, row.id];

/** Rows per statement while a CSV streams. */
const CSV_PAGE = 1000;

@Injectable()
export class StudentsService {
  constructor(
    private readonly students: StudentsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateStudentDto): Promise<StudentDto> {
    const districtId = districtFor(principal, input.districtId);
    if (!inSchoolScope(principal, input.schoolId)) throw referenceNotFound('school_not_found', 'schoolId', input.schoolId);
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const student = StudentDto.from(await this.students.insert(tx.em, { ...input, districtId }));
        tx.audit({ districtId, entityType: 'student', entityId: student.id, action: 'create', after: student });
        return student;
      });
    } catch (error) {
      // The district is checked through the school's key: a refused school may be one of no district at all.
      if (pgError(error)?.constraint === 'students_school_fkey' && !(await this.students.districtExists(districtId))) {
        throw referenceNotFound('district_not_found', 'districtId', districtId);
      }
      explainConstraint(error, constraints(input));
    }
  }

  async list(principal: Principal, query: StudentListQueryDto): Promise<StudentPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter = { ...query, districtId: districtFilter(principal, query.districtId), schoolIds: principal.schoolIds };
    if (query.q) {
      const key = cursorKey(query.cursor, [isTier, isText, isText, isUuidKey, isUuidKey]);
      const after = key ? { tier: key[0], a: key[1], b: key[2], districtId: key[3], id: key[4] } : null;
      const rows = await this.students.search(filter, query.q, after, limit + 1);
      const result = page(rows, limit, searchKey);
      return { data: result.data.map((row) => StudentDto.from(row)), nextCursor: result.nextCursor };
    }
    const key = cursorKey(query.cursor, [isUuidKey, isText, isText, isUuidKey]);
    const after = key ? { districtId: key[0], familyName: key[1], givenName: key[2], id: key[3] } : null;
    const rows = await this.students.list(filter, after, limit + 1);
    const result = page(rows, limit, (row) => [row.districtId, row.familyName, row.givenName, row.id]);
    return { data: result.data.map((row) => StudentDto.from(row)), nextCursor: result.nextCursor };
  }

  /** The whole list as CSV lines, read a page at a time in the list's own keyset order. */
  csv(principal: Principal, query: StudentListQueryDto): AsyncIterable<string> {
    const filter = { ...query, districtId: districtFilter(principal, query.districtId), schoolIds: principal.schoolIds };
    const students = this.students;
    const text = query.q;
    async function* pages(): AsyncGenerator<StudentDto[]> {
      if (text) {
        let after: StudentSearchKey | null = null;
        for (;;) {
          const rows: StudentSearchRow[] = await students.search(filter, text, after, CSV_PAGE);
          yield rows.map((row) => StudentDto.from(row));
          const last = rows[rows.length - 1];
          if (!last || rows.length < CSV_PAGE) return;
          after = { tier: last.tier, a: last.keyA, b: last.keyB, districtId: last.districtId, id: last.id };
        }
      }
      let after: StudentListKey | null = null;
      for (;;) {
        const rows = await students.list(filter, after, CSV_PAGE);
        yield rows.map((row) => StudentDto.from(row));
        const last = rows[rows.length - 1];
        if (!last || rows.length < CSV_PAGE) return;
        after = { districtId: last.districtId, familyName: last.familyName, givenName: last.givenName, id: last.id };
      }
    }
    return csvLines([...STUDENT_CSV_COLUMNS], pages(), (student) => STUDENT_CSV_COLUMNS.map((column) => student[column]));
  }

  async get(principal: Principal, id: string): Promise<StudentDto> {
    const row = await this.students.findById(id, principal.districtId);
    if (!row || !inSchoolScope(principal, row.schoolId)) throw domainError('student_not_found', id);
    const student = StudentDto.from(row);
    // Family contacts are for the teams that reach families; others get the student without them.
    if (mayReadFamilyContacts(principal.role)) student.guardians = await this.students.guardians(id);
    return student;
  }

  async update(principal: Principal, id: string, input: UpdateStudentDto, ifMatch?: VersionCondition): Promise<StudentDto> {
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        const before = await this.students.findById(id, principal.districtId, tx.em, { lock: true });
        if (!before || !inSchoolScope(principal, before.schoolId)) throw domainError('student_not_found', id);
        assertVersion(before.version, ifMatch);
        if (input.schoolId && !inSchoolScope(principal, input.schoolId))
          throw referenceNotFound('school_not_found', 'schoolId', input.schoolId);
        const after = StudentDto.from(await this.students.update(tx.em, id, input));
        tx.audit({
          districtId: before.districtId,
          entityType: 'student',
          entityId: id,
          action: 'update',
          before: StudentDto.from(before),
          after,
        });
        return after;
      });
    } catch (error) {
      explainConstraint(error, constraints(input));
    }
  }
}

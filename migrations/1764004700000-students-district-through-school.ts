import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A student's district is checked through the student's school (issue #17): school_id is required and
 * students_school_fkey (district_id, school_id) references schools, whose district_id references
 * districts, so students_district_id_fkey proved nothing more. Its check ran once per written student,
 * 10–20 µs each (bench/RESULTS.md, 6 December: 24–53 ms of a 2,400-student upsert), about 5 s of a
 * state's 500,000-student roster. Dropping a constraint is a catalogue change: no table rewrite.
 */
export class StudentsDistrictThroughSchool1764004700000 implements MigrationInterface {
  name = 'StudentsDistrictThroughSchool1764004700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE students DROP CONSTRAINT students_district_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    // NOT VALID, then VALIDATE: the check of existing rows does not block writes meanwhile.
    await q.query(
      `ALTER TABLE students ADD CONSTRAINT students_district_id_fkey FOREIGN KEY (district_id) REFERENCES districts (id) NOT VALID`,
    );
    await q.query(`ALTER TABLE students VALIDATE CONSTRAINT students_district_id_fkey`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Family contact details where the roster has them: OneRoster's parents, guardians and relatives (users
 * of those roles), linked to students by `agentSourcedIds`, and each student's home language (an
 * optional column of the student-attributes import).
 *
 * Links name both ends by sourcedId, not by foreign key: a roster may list a guardian before or after
 * the students it names, in another batch. `seen_import_id` is the roster that last named the row, so
 * that a bulk roster (the whole truth) forgets the guardians and links it no longer names.
 */
export class FamilyContacts1764002510000 implements MigrationInterface {
  name = 'FamilyContacts1764002510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE students ADD COLUMN home_language text CHECK (length(home_language) BETWEEN 1 AND 100)`);
    await q.query(`
      CREATE TABLE guardians (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        sourced_id text NOT NULL CHECK (length(sourced_id) BETWEEN 1 AND 255),
        given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 200),
        family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 200),
        relation text NOT NULL CHECK (relation IN ('parent','guardian','relative')),
        email text CHECK (length(email) <= 320),
        phone text CHECK (length(phone) <= 40),
        sms text CHECK (length(sms) <= 40),
        seen_import_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT guardians_district_sourced_id_key UNIQUE (district_id, sourced_id)
      )`);
    await q.query(`
      CREATE TABLE student_guardians (
        district_id uuid NOT NULL REFERENCES districts(id),
        student_sourced_id text NOT NULL CHECK (length(student_sourced_id) BETWEEN 1 AND 255),
        guardian_sourced_id text NOT NULL CHECK (length(guardian_sourced_id) BETWEEN 1 AND 255),
        seen_import_id uuid,
        PRIMARY KEY (district_id, student_sourced_id, guardian_sourced_id)
      )`);
    await q.query(`CREATE INDEX student_guardians_guardian_idx ON student_guardians (district_id, guardian_sourced_id)`);
    // OneRoster 1.2 says who is a guardian in roles.csv: its family roles are kept beside the student ones.
    await q.query(`
      ALTER TABLE import_roster_roles ADD COLUMN role text NOT NULL DEFAULT 'student'
        CHECK (role IN ('student','parent','guardian','relative'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_roster_roles DROP COLUMN role`);
    await q.query(`DROP TABLE student_guardians`);
    await q.query(`DROP TABLE guardians`);
    await q.query(`ALTER TABLE students DROP COLUMN home_language`);
  }
}

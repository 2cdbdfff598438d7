import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports (one row per file, its row errors and suggested assignments) and the login events
 * they and the LMS endpoint load.
 */
export class Imports1764000200000 implements MigrationInterface {
  name = 'Imports1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        kind text NOT NULL
          CHECK (kind IN ('oneroster','student-attributes','devices','chromeos-devices','hotspot-usage','login-events')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','completed','failed')),
        origin text NOT NULL CHECK (origin IN ('upload','cli')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        -- Where the worker reads the file; an uploaded file (owned) is deleted once the import ends.
        file_path text NOT NULL,
        file_owned boolean NOT NULL,
        file_size bigint NOT NULL CHECK (file_size >= 0),
        progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
        rows_read integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        -- Counters particular to a kind: unknownStudents, suggestions, withdrawn, ...
        stats jsonb NOT NULL DEFAULT '{}',
        -- Columns of a vendor export that this kind does not use.
        ignored_columns text[] NOT NULL DEFAULT '{}',
        error_summary text,
        -- The last committed batch: { "part": "users.csv", "line": 40001 }. A retried job resumes after it.
        checkpoint jsonb,
        attempts integer NOT NULL DEFAULT 0,
        requested_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT imports_district_id_id_key UNIQUE (district_id, id),
        CONSTRAINT imports_finished_consistent CHECK ((status IN ('completed','failed')) = (finished_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX imports_district_list_idx ON imports (district_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX imports_list_idx ON imports (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE import_errors (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        -- The file inside a zip (users.csv), or null for a single file.
        part text,
        line integer NOT NULL,
        field text,
        message text NOT NULL
      )`);
    await q.query(`CREATE INDEX import_errors_import_idx ON import_errors (import_id, id)`);

    await q.query(`
      CREATE TABLE import_suggestions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        district_id uuid NOT NULL,
        device_id uuid NOT NULL,
        student_id uuid NOT NULL,
        basis text NOT NULL CHECK (basis IN ('annotated_user','recent_user')),
        line integer NOT NULL,
        CONSTRAINT import_suggestions_device_fkey FOREIGN KEY (district_id, device_id) REFERENCES devices (district_id, id) ON DELETE CASCADE,
        CONSTRAINT import_suggestions_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id) ON DELETE CASCADE,
        CONSTRAINT import_suggestions_import_device_key UNIQUE (import_id, device_id)
      )`);

    // The sourcedIds a bulk roster file named, one row per batch, so the students it did not name can be
    // withdrawn at the end. An array a batch keeps this to a few rows per import instead of one per student.
    await q.query(`
      CREATE TABLE import_seen_keys (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        keys text[] NOT NULL
      )`);
    await q.query(`CREATE INDEX import_seen_keys_import_idx ON import_seen_keys (import_id)`);

    // The newest successful login of each student seen by a committed batch of a login import, one row a
    // batch: students.last_login_at moves once, when the import ends.
    await q.query(`
      CREATE TABLE import_latest_logins (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        student_ids uuid[] NOT NULL,
        newest timestamptz[] NOT NULL
      )`);
    await q.query(`CREATE INDEX import_latest_logins_import_idx ON import_latest_logins (import_id)`);

    await q.query(`
      CREATE TABLE login_events (
        district_id uuid NOT NULL,
        student_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        event text NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
        -- md5 of the source's own id (Google: applicationName:id.time:uniqueQualifier; others: unique_id).
        dedupe_key uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT login_events_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id) ON DELETE CASCADE,
        -- An event is stored once per district. The same event always has the same time, so the time leads
        -- the key: new events land at its right edge instead of at random places in an index larger than
        -- memory, which is what kept slowing the inserts down as the table grew.
        CONSTRAINT login_events_pkey PRIMARY KEY (district_id, occurred_at, dedupe_key)
      )`);
    // Read by the login gap scan and the weekly report: only successful logins count as activity.
    await q.query(`CREATE INDEX login_events_success_idx ON login_events (student_id, occurred_at) WHERE event = 'login_success'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['login_events', 'import_latest_logins', 'import_seen_keys', 'import_suggestions', 'import_errors', 'imports']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

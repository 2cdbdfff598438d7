import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Gap scans, login gaps, the tickets they raise (once), ticket history, and school-wide model changes. */
export class Connectivity1764000300000 implements MigrationInterface {
  name = 'Connectivity1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE school_learning_model_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        school_id uuid NOT NULL,
        learning_model text NOT NULL CHECK (learning_model IN ('in_person','hybrid','remote')),
        from_date date NOT NULL,
        to_date date NOT NULL,
        created_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT school_learning_model_changes_school_fkey FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
        CONSTRAINT school_learning_model_changes_window CHECK (from_date <= to_date)
      )`);
    await q.query(`CREATE INDEX school_learning_model_changes_idx ON school_learning_model_changes (school_id, from_date, to_date)`);

    await q.query(`
      CREATE TABLE gap_scans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- NULL: every district, one after another.
        district_id uuid REFERENCES districts(id),
        as_of date,
        trigger text NOT NULL CHECK (trigger IN ('manual','schedule','import')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','completed','failed')),
        students_scanned integer NOT NULL DEFAULT 0,
        gaps_opened integer NOT NULL DEFAULT 0,
        gaps_closed integer NOT NULL DEFAULT 0,
        tickets_opened integer NOT NULL DEFAULT 0,
        tickets_updated integer NOT NULL DEFAULT 0,
        tickets_resolved integer NOT NULL DEFAULT 0,
        error text,
        requested_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX gap_scans_district_idx ON gap_scans (district_id, created_at DESC)`);
    // The daily schedule asks once per district and school day, however often the sweep runs.
    await q.query(`CREATE UNIQUE INDEX gap_scans_one_scheduled_per_day ON gap_scans (district_id, as_of) WHERE trigger = 'schedule'`);

    await q.query(`
      CREATE TABLE gaps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        student_id uuid NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_as_of date NOT NULL,
        -- The last successful login known when the gap opened; NULL: never logged in.
        last_login_at timestamptz,
        opened_by_scan_id uuid REFERENCES gap_scans(id),
        closed_at timestamptz,
        closed_by_scan_id uuid REFERENCES gap_scans(id),
        resolution text CHECK (resolution IN ('reconnected','withdrawn','not_remote')),
        CONSTRAINT gaps_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
        CONSTRAINT gaps_closed_consistent CHECK ((closed_at IS NULL) = (resolution IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX gaps_one_open_per_student ON gaps (student_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX gaps_open_by_district ON gaps (district_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX gaps_student_history ON gaps (student_id, opened_at DESC)`);

    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        student_id uuid,
        device_id uuid,
        school_id uuid,
        type text NOT NULL CHECK (type IN ('replacement','connectivity','outreach','repair')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','waiting','resolved','closed')),
        priority smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
        reasons text[] NOT NULL DEFAULT '{}',
        evidence jsonb NOT NULL DEFAULT '{}',
        source text NOT NULL CHECK (source IN ('scan','manual','school_going_remote')),
        gap_id uuid REFERENCES gaps(id),
        assignee text,
        resolution text,
        note text,
        opened_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        created_by uuid REFERENCES api_tokens(id),
        CONSTRAINT tickets_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
        CONSTRAINT tickets_device_fkey FOREIGN KEY (district_id, device_id) REFERENCES devices (district_id, id),
        CONSTRAINT tickets_school_fkey FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
        CONSTRAINT tickets_subject CHECK (student_id IS NOT NULL OR device_id IS NOT NULL),
        CONSTRAINT tickets_resolved_consistent CHECK ((status IN ('resolved','closed')) = (resolved_at IS NOT NULL))
      )`);
    // Exactly once: repeated, concurrent or retried scans can never raise a second open ticket.
    await q.query(`
      CREATE UNIQUE INDEX tickets_one_open_per_student_type ON tickets (student_id, type)
      WHERE status IN ('open','in_progress','waiting') AND type <> 'repair'`);
    await q.query(
      `CREATE INDEX tickets_queue_age_idx ON tickets (district_id, opened_at, id) WHERE status IN ('open','in_progress','waiting')`,
    );
    await q.query(
      `CREATE INDEX tickets_queue_priority_idx ON tickets (district_id, priority, opened_at, id) WHERE status IN ('open','in_progress','waiting')`,
    );
    await q.query(`CREATE INDEX tickets_district_opened_idx ON tickets (district_id, opened_at)`);
    await q.query(`CREATE INDEX tickets_student_idx ON tickets (student_id, opened_at DESC)`);
    await q.query(`CREATE INDEX tickets_reasons_idx ON tickets USING gin (reasons)`);

    await q.query(`
      CREATE TABLE ticket_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        actor_token_id uuid REFERENCES api_tokens(id),
        kind text NOT NULL CHECK (kind IN ('opened','reasons_changed','status_changed','assigned','comment','student_reconnected','outreach_attempt')),
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id)`);

    await q.query(`
      CREATE TABLE outreach_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        channel text NOT NULL CHECK (channel IN ('call','email','text','home_visit')),
        attempted_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('reached','no_answer','left_message','wrong_contact','visited','not_home','other')),
        note text,
        created_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outreach_attempts_ticket_idx ON outreach_attempts (ticket_id, attempted_at)`);
    await q.query(`CREATE INDEX outreach_attempts_district_idx ON outreach_attempts (district_id, attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outreach_attempts', 'ticket_events', 'tickets', 'gaps', 'gap_scans', 'school_learning_model_changes']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

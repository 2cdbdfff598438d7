import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schools, students, devices and who holds them. Every table carries district_id, and references
 * go through (district_id, id) pairs, so the database itself refuses to link records of two districts.
 */
export class Inventory1764000100000 implements MigrationInterface {
  name = 'Inventory1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE schools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
        sourced_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT schools_district_id_id_key UNIQUE (district_id, id),
        CONSTRAINT schools_district_code_key UNIQUE (district_id, code),
        CONSTRAINT schools_district_sourced_id_key UNIQUE (district_id, sourced_id)
      )`);
    await q.query(`
      CREATE TABLE students (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        school_id uuid NOT NULL,
        sourced_id text NOT NULL CHECK (length(sourced_id) BETWEEN 1 AND 255),
        identifier text,
        given_name text NOT NULL,
        family_name text NOT NULL,
        grade text,
        email text,
        learning_model text NOT NULL DEFAULT 'in_person' CHECK (learning_model IN ('in_person','hybrid','remote')),
        home_internet text NOT NULL DEFAULT 'unknown' CHECK (home_internet IN ('yes','no','unknown')),
        enrollment_status text NOT NULL DEFAULT 'active' CHECK (enrollment_status IN ('active','withdrawn')),
        -- Latest successful login seen from any source; kept current by the login-event imports.
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT students_district_id_id_key UNIQUE (district_id, id),
        CONSTRAINT students_district_sourced_id_key UNIQUE (district_id, sourced_id),
        CONSTRAINT students_school_fkey FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id)
      )`);
    await q.query(`CREATE INDEX students_school_idx ON students (school_id)`);
    await q.query(`CREATE INDEX students_list_idx ON students (district_id, family_name, given_name, id)`);
    await q.query(`CREATE INDEX students_email_idx ON students (district_id, lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX students_identifier_idx ON students (district_id, identifier) WHERE identifier IS NOT NULL`);
    await q.query(`
      CREATE INDEX students_search_idx ON students USING gin (
        (given_name || ' ' || family_name || ' ' || coalesce(identifier, '') || ' ' || coalesce(email, '')) gin_trgm_ops
      )`);

    await q.query(`
      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        school_id uuid,
        kind text NOT NULL CHECK (kind IN ('chromebook','hotspot','laptop','other')),
        asset_tag text CHECK (length(asset_tag) BETWEEN 1 AND 100),
        serial_number text NOT NULL CHECK (length(serial_number) BETWEEN 1 AND 100),
        model text,
        manufacturer text,
        funding_source text,
        status text NOT NULL DEFAULT 'in_stock'
          CHECK (status IN ('in_stock','assigned','loaner','in_repair','lost','stolen','retired')),
        condition text NOT NULL DEFAULT 'working' CHECK (condition IN ('working','damaged','broken')),
        notes text,
        -- Chromebooks, from Google Admin
        google_device_id text,
        google_status text,
        last_sync_at timestamptz,
        os_version text,
        auto_update_through date,
        -- Hotspots, from the carrier
        imei text,
        iccid text,
        phone_number text,
        carrier text,
        line_status text CHECK (line_status IN ('active','suspended','deactivated')),
        monthly_cap_mb integer CHECK (monthly_cap_mb >= 0),
        monthly_used_mb integer CHECK (monthly_used_mb >= 0),
        last_usage_at timestamptz,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT devices_district_id_id_key UNIQUE (district_id, id),
        CONSTRAINT devices_district_asset_tag_key UNIQUE (district_id, asset_tag),
        CONSTRAINT devices_district_serial_number_key UNIQUE (district_id, serial_number),
        CONSTRAINT devices_school_fkey FOREIGN KEY (district_id, school_id) REFERENCES schools (district_id, id),
        -- A retired device stays retired: nothing may move it back into circulation.
        CONSTRAINT devices_retired_is_final CHECK ((status = 'retired') = (retired_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX devices_district_imei_key ON devices (district_id, imei) WHERE imei IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX devices_district_iccid_key ON devices (district_id, iccid) WHERE iccid IS NOT NULL`);
    await q.query(`CREATE INDEX devices_district_phone_idx ON devices (district_id, phone_number) WHERE phone_number IS NOT NULL`);
    await q.query(`CREATE INDEX devices_google_device_idx ON devices (district_id, google_device_id) WHERE google_device_id IS NOT NULL`);
    await q.query(`CREATE INDEX devices_pool_idx ON devices (district_id, school_id, kind, status)`);
    await q.query(`CREATE INDEX devices_list_idx ON devices (district_id, id)`);
    await q.query(`
      CREATE FUNCTION devices_stay_retired() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'retired' AND NEW.status <> 'retired' THEN
          RAISE EXCEPTION 'device % is retired' , OLD.id USING ERRCODE = 'check_violation', CONSTRAINT = 'devices_retired_is_final';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_stay_retired BEFORE UPDATE OF status ON devices
      FOR EACH ROW EXECUTE FUNCTION devices_stay_retired()`);

    await q.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        device_id uuid NOT NULL,
        student_id uuid NOT NULL,
        kind text NOT NULL DEFAULT 'primary' CHECK (kind IN ('primary','loaner')),
        -- For a loaner: the device it stands in for while that one is repaired.
        loaner_for_device_id uuid,
        started_at timestamptz NOT NULL DEFAULT now(),
        issued_by uuid REFERENCES api_tokens(id),
        acknowledged_by_name text,
        acknowledged_at timestamptz,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('returned','repair','lost','stolen','retired','repair_return')),
        returned_condition text CHECK (returned_condition IN ('working','damaged','broken')),
        return_note text,
        ended_by uuid REFERENCES api_tokens(id),
        CONSTRAINT assignments_device_fkey FOREIGN KEY (district_id, device_id) REFERENCES devices (district_id, id),
        CONSTRAINT assignments_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
        CONSTRAINT assignments_loaner_fkey FOREIGN KEY (district_id, loaner_for_device_id) REFERENCES devices (district_id, id),
        CONSTRAINT assignments_end_consistent CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
        CONSTRAINT assignments_loaner_kind CHECK (loaner_for_device_id IS NULL OR kind = 'loaner')
      )`);
    // The custody invariant: a device is held by at most one student at a time.
    await q.query(`CREATE UNIQUE INDEX assignments_one_active_per_device ON assignments (device_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX assignments_active_by_student ON assignments (student_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX assignments_student_history ON assignments (student_id, started_at DESC)`);
    await q.query(`CREATE INDEX assignments_device_history ON assignments (device_id, started_at DESC)`);

    await q.query(`
      CREATE TABLE repairs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        device_id uuid NOT NULL,
        student_id uuid,
        problem text NOT NULL CHECK (problem IN ('broken','damaged')),
        note text,
        loaner_assignment_id uuid REFERENCES assignments(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        returned_to text CHECK (returned_to IN ('stock','student')),
        CONSTRAINT repairs_device_fkey FOREIGN KEY (district_id, device_id) REFERENCES devices (district_id, id),
        CONSTRAINT repairs_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
        CONSTRAINT repairs_closed_consistent CHECK ((closed_at IS NULL) = (returned_to IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX repairs_one_open_per_device ON repairs (device_id) WHERE closed_at IS NULL`);

    await q.query(`
      CREATE TABLE device_losses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        device_id uuid NOT NULL,
        student_id uuid,
        kind text NOT NULL CHECK (kind IN ('lost','stolen')),
        police_report_number text,
        reported_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT device_losses_device_fkey FOREIGN KEY (district_id, device_id) REFERENCES devices (district_id, id),
        CONSTRAINT device_losses_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id)
      )`);
    await q.query(`CREATE INDEX device_losses_device_idx ON device_losses (device_id)`);

    await q.query(`
      CREATE TABLE kit_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- [{ "item": "charger", "quantity": 1 }, ...]
        items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT kit_templates_district_id_id_key UNIQUE (district_id, id),
        CONSTRAINT kit_templates_district_name_key UNIQUE (district_id, name)
      )`);
    await q.query(`
      CREATE TABLE kits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        student_id uuid NOT NULL,
        template_id uuid NOT NULL,
        -- The template's items as issued, so later template edits do not rewrite history.
        items jsonb NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        returned_at timestamptz,
        -- [{ "item": "charger", "quantity": 1 }, ...]: what did not come back.
        missing_items jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT kits_student_fkey FOREIGN KEY (district_id, student_id) REFERENCES students (district_id, id),
        CONSTRAINT kits_template_fkey FOREIGN KEY (district_id, template_id) REFERENCES kit_templates (district_id, id)
      )`);
    await q.query(`CREATE INDEX kits_student_idx ON kits (student_id, issued_at DESC)`);
    await q.query(`CREATE INDEX kits_missing_idx ON kits (district_id) WHERE missing_items <> '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['kits', 'kit_templates', 'device_losses', 'repairs', 'assignments']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP TABLE devices`);
    await q.query(`DROP FUNCTION devices_stay_retired()`);
    await q.query(`DROP TABLE students`);
    await q.query(`DROP TABLE schools`);
  }
}

import type { DataSource } from 'typeorm';

/** Plain-SQL fixtures for tests that need a populated district without going through every API. */
export class Seed {
  private n = 0;

  constructor(private readonly db: DataSource) {}

  private next(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.n}-${Math.random().toString(36).slice(2, 8)}`;
  }

  async district(values: { timeZone?: string; gapThresholdDays?: number; closureDates?: string[] } = {}): Promise<string> {
    const rows = (await this.db.query(
      `INSERT INTO districts (name, code, time_zone, gap_threshold_days, closure_dates) VALUES ($1, $1, $2, $3, $4) RETURNING id`,
      [this.next('d'), values.timeZone ?? 'America/New_York', values.gapThresholdDays ?? 5, values.closureDates ?? []],
    )) as { id: string }[];
    return rows[0]!.id;
  }

  async school(districtId: string): Promise<string> {
    const code = this.next('s');
    const rows = (await this.db.query(`INSERT INTO schools (district_id, name, code) VALUES ($1, $2, $2) RETURNING id`, [
      districtId,
      code,
    ])) as { id: string }[];
    return rows[0]!.id;
  }

  async student(
    districtId: string,
    schoolId: string,
    values: {
      learningModel?: string;
      homeInternet?: string;
      lastLoginAt?: string | null;
      enrollmentStatus?: string;
      grade?: string;
      email?: string;
    } = {},
  ): Promise<string> {
    const sourcedId = this.next('stu');
    const rows = (await this.db.query(
      `INSERT INTO students (district_id, school_id, sourced_id, given_name, family_name, grade, email, learning_model, home_internet, enrollment_status, last_login_at)
       VALUES ($1, $2, $3, 'Given', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        districtId,
        schoolId,
        sourcedId,
        values.grade ?? '9',
        values.email ?? `${sourcedId}@example.org`,
        values.learningModel ?? 'remote',
        values.homeInternet ?? 'yes',
        values.enrollmentStatus ?? 'active',
        values.lastLoginAt ?? null,
      ],
    )) as { id: string }[];
    return rows[0]!.id;
  }

  async device(districtId: string, schoolId: string | null, values: Record<string, unknown> = {}): Promise<string> {
    const columns = { kind: 'chromebook', serial_number: this.next('SN'), asset_tag: this.next('AT'), ...values };
    const names = Object.keys(columns);
    const rows = (await this.db.query(
      `INSERT INTO devices (district_id, school_id, ${names.join(', ')}) VALUES ($1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
      [districtId, schoolId, ...Object.values(columns)],
    )) as { id: string }[];
    return rows[0]!.id;
  }

  /** A device handed to a student: the device's status follows, as custody would set it. */
  async assign(districtId: string, deviceId: string, studentId: string, kind: 'primary' | 'loaner' = 'primary'): Promise<void> {
    await this.db.query(`UPDATE devices SET status = $2 WHERE id = $1`, [deviceId, kind === 'primary' ? 'assigned' : 'loaner']);
    await this.db.query(`INSERT INTO assignments (district_id, device_id, student_id, kind) VALUES ($1, $2, $3, $4)`, [
      districtId,
      deviceId,
      studentId,
      kind,
    ]);
  }

  /** A login event as the imports store it (`login_success` unless told otherwise). */
  async loginEvent(districtId: string, studentId: string, occurredAt: string, event = 'login_success'): Promise<void> {
    await this.db.query(
      `INSERT INTO login_events (district_id, student_id, occurred_at, event, source, dedupe_key) VALUES ($1, $2, $3, $4, 'test', gen_random_uuid())`,
      [districtId, studentId, occurredAt, event],
    );
  }

  /** A school-wide learning-model change; `createdAt` orders changes that overlap (the latest wins). */
  async learningModelChange(
    districtId: string,
    schoolId: string,
    values: { learningModel: string; from: string; to: string; createdAt: string },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO school_learning_model_changes (district_id, school_id, learning_model, from_date, to_date, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [districtId, schoolId, values.learningModel, values.from, values.to, values.createdAt],
    );
  }
}

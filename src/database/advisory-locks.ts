/**
 * Every PostgreSQL advisory lock class the service takes, in one place. A class is the first of the
 * two int4 keys (`pg_advisory_lock(class, hashtext(id))`); two features sharing a class would block
 * each other whenever the hashes of their ids collide. `advisory-locks.spec.ts` keeps them unique.
 * The single-bigint key space (which PostgreSQL keeps apart from the two-key one) holds the migration
 * lock and an import's batch turns, `(hashtext(importId) << 32) | batch`.
 */
export const ADVISORY_LOCKS = {
  /** Single bigint key: every instance takes it before it migrates. */
  migrations: 727_001,
  /** (class, hashtext(districtId)): scans of one district queue up behind each other. */
  gapScan: 727_002,
  /** (class, hashtext(importId)): one runner per import, whatever retries or workers do. */
  importRun: 727_003,
  /**
   * (class, hashtext(districtId)), shared by login-event inserts and exclusive for student deletes.
   * Taken by the trigger functions of migration 1764000600000, which spells the number out: a migration
   * does not change with the code.
   */
  loginEventsStudents: 727_004,
  /** (class, hashtext(connectorId)): one worker runs a connector at a time, whatever retries or stalls do. */
  connectorRun: 727_005,
  /**
   * (class, hashtext(districtId)): one district's imports run one after another, in the order they
   * asked (a device file after the roster it names students of); other districts' run side by side.
   */
  importDistrict: 727_006,
} as const;

export type AdvisoryLockClass = keyof typeof ADVISORY_LOCKS;

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables imports, bulk assignment and gap scans write by the hundred thousand take time-ordered
 * ids (issue #17): the UUIDv7 layout of RFC 9562, the creation time in milliseconds in the first 48
 * bits and 74 random bits, made from gen_random_uuid() (PostgreSQL 15 has no uuidv7()). A random id
 * put each new row's primary-key entry, and its (district_id, id) entry, on a random page of an index
 * larger than shared_buffers: a state's roster wrote 315,000 evicted buffers for 500,000 students.
 * New ids now land on the right-hand pages. Measured on a copy of the state (bench/RESULTS.md,
 * 6 December, second run): roster −7 %, device import −10 %, a quarter fewer buffers written for the
 * roster. Existing ids stay as they are; ids remain opaque (nothing orders by them but as a tiebreak).
 * Sessions, tokens and other rows whose id could matter as a secret keep gen_random_uuid().
 */
const TABLES = ['students', 'guardians', 'devices', 'shipments', 'assignments', 'gaps', 'tickets'];

export class TimeOrderedIds1764004800000 implements MigrationInterface {
  name = 'TimeOrderedIds1764004800000';

  async up(q: QueryRunner): Promise<void> {
    // Bytes 0–5: Unix time in ms (int8send is big-endian; its first two bytes are zero until year 10889).
    // Bits 52 and 53 (set_bit counts from each byte's low bit) turn gen_random_uuid()'s version nibble 4 into 7;
    // the variant bits stay.
    await q.query(`
      CREATE FUNCTION uuid_time_ordered() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
          set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
            52, 1), 53, 1),
          'hex')::uuid
      $$`);
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT uuid_time_ordered()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_time_ordered()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = ['oneroster', 'student-attributes', 'devices', 'chromeos-devices', 'hotspot-usage', 'login-events'];

const kindCheck = (kinds: string[]): string => `CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(',')}))`;

/** The import kind `shipment-manifest`: delivery manifests loaded from a vendor's packing list. */
export class ShipmentManifestImport1764000500000 implements MigrationInterface {
  name = 'ShipmentManifestImport1764000500000';

  async up(q: QueryRunner): Promise<void> {
    // One statement: the table is never without the check.
    await q.query(
      `ALTER TABLE imports DROP CONSTRAINT imports_kind_check, ADD CONSTRAINT imports_kind_check ${kindCheck([...KINDS, 'shipment-manifest'])}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The old check cannot hold these imports; their row errors go with them (ON DELETE CASCADE). The
    // manifests they loaded stay: they are shipments like any other.
    await q.query(`DELETE FROM imports WHERE kind = 'shipment-manifest'`);
    await q.query(`ALTER TABLE imports DROP CONSTRAINT imports_kind_check, ADD CONSTRAINT imports_kind_check ${kindCheck(KINDS)}`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipment manifests (what a funding programme delivered, by serial number) and the indexes the
 * administrators' reports read through.
 */
export class Reports1764000400000 implements MigrationInterface {
  name = 'Reports1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES districts(id),
        funding_source text NOT NULL CHECK (length(funding_source) BETWEEN 1 AND 200),
        shipped_on date NOT NULL,
        -- The delivery note or order number; one manifest per reference, so a file sent twice is not counted twice.
        reference text CHECK (length(reference) BETWEEN 1 AND 200),
        -- Kept by the statements that add items, so lists need not count 50,000 rows per manifest.
        item_count integer NOT NULL DEFAULT 0 CHECK (item_count >= 0),
        created_by uuid REFERENCES api_tokens(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT shipments_district_id_id_key UNIQUE (district_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX shipments_district_reference_key ON shipments (district_id, reference) WHERE reference IS NOT NULL`);
    await q.query(`CREATE INDEX shipments_list_idx ON shipments (shipped_on DESC, id DESC)`);
    await q.query(`CREATE INDEX shipments_district_list_idx ON shipments (district_id, shipped_on DESC, id DESC)`);
    await q.query(`CREATE INDEX shipments_funding_idx ON shipments (funding_source, district_id)`);

    await q.query(`
      CREATE TABLE shipment_items (
        district_id uuid NOT NULL,
        shipment_id uuid NOT NULL,
        serial_number text NOT NULL CHECK (length(serial_number) BETWEEN 1 AND 100),
        CONSTRAINT shipment_items_pkey PRIMARY KEY (shipment_id, serial_number),
        CONSTRAINT shipment_items_shipment_fkey FOREIGN KEY (district_id, shipment_id) REFERENCES shipments (district_id, id)
      )`);
    // Reconciliation matches delivered serials to devices_district_serial_number_key.
    await q.query(`CREATE INDEX shipment_items_serial_idx ON shipment_items (district_id, serial_number)`);

    // Rollout report: the devices of one funding programme.
    await q.query(`CREATE INDEX devices_funding_idx ON devices (funding_source, district_id) WHERE funding_source IS NOT NULL`);
    // Tickets report: tickets resolved in a window.
    await q.query(`CREATE INDEX tickets_district_resolved_idx ON tickets (district_id, resolved_at) WHERE resolved_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_district_resolved_idx`);
    await q.query(`DROP INDEX devices_funding_idx`);
    await q.query(`DROP TABLE shipment_items`);
    await q.query(`DROP TABLE shipments`);
  }
}

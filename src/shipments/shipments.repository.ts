import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';

export interface ShipmentRow {
  id: string;
  districtId: string;
  fundingSource: string;
  shippedOn: string;
  reference: string | null;
  itemCount: number;
  createdAt: Date;
}

export interface NewShipment {
  districtId: string;
  fundingSource: string;
  shippedOn: string;
  reference: string | null;
  createdBy: string | null;
}

const SELECT_SHIPMENT = `
  SELECT id, district_id AS "districtId", funding_source AS "fundingSource", to_char(shipped_on, 'YYYY-MM-DD') AS "shippedOn",
    reference, item_count AS "itemCount", created_at AS "createdAt"
  FROM shipments`;

@Injectable()
export class ShipmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `districtId` null means any district (a state token). */
  findById(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<ShipmentRow | null> {
    return one<ShipmentRow>(em, `${SELECT_SHIPMENT} WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)`, [id, districtId]);
  }

  /** Newest delivery first, the order of shipments_list_idx / shipments_district_list_idx. */
  async list(
    filter: { districtId: string | null; fundingSource?: string },
    after: [string, string] | null,
    limit: number,
  ): Promise<ShipmentRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (filter.districtId) where.push(`district_id = ${bind(filter.districtId)}`);
    if (filter.fundingSource !== undefined) where.push(`funding_source = ${bind(filter.fundingSource)}`);
    if (after) where.push(`(shipped_on, id) < (${bind(after[0])}::date, ${bind(after[1])}::uuid)`);
    const text = `${SELECT_SHIPMENT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY shipped_on DESC, id DESC LIMIT ${bind(limit + 1)}`;
    return (await sql<ShipmentRow>(this.db.manager, text, params)).rows;
  }

  async serialNumbers(id: string): Promise<string[]> {
    const result = await sql<{ serialNumber: string }>(
      this.db.manager,
      `SELECT serial_number AS "serialNumber" FROM shipment_items WHERE shipment_id = $1 ORDER BY serial_number`,
      [id],
    );
    return result.rows.map((row) => row.serialNumber);
  }

  async insert(em: EntityManager, shipment: NewShipment): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO shipments (district_id, funding_source, shipped_on, reference, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [shipment.districtId, shipment.fundingSource, shipment.shippedOn, shipment.reference, shipment.createdBy],
    );
    return row!.id;
  }

  /** Adds the serials in one statement, skipping any already on the manifest; returns how many were added. */
  async addItems(em: EntityManager, districtId: string, shipmentId: string, serialNumbers: readonly string[]): Promise<number> {
    const row = await one<{ added: number }>(
      em,
      `WITH added AS (
         INSERT INTO shipment_items (district_id, shipment_id, serial_number)
         SELECT $1, $2, serial FROM unnest($3::text[]) AS serial
         ON CONFLICT (shipment_id, serial_number) DO NOTHING
         RETURNING 1
       )
       UPDATE shipments SET item_count = item_count + (SELECT count(*) FROM added) WHERE id = $2
       RETURNING (SELECT count(*) FROM added)::int AS added`,
      [districtId, shipmentId, serialNumbers],
    );
    return row!.added;
  }
}

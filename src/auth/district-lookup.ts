import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { one } from '../database/sql.js';

/** The little sign-in needs to know of districts (read-only; the districts module owns them). */
@Injectable()
export class DistrictLookup {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async exists(id: string): Promise<boolean> {
    return (await one(this.db.manager, `SELECT 1 FROM districts WHERE id = $1`, [id])) !== null;
  }

  async idByCode(code: string): Promise<string | null> {
    const row = await one<{ id: string }>(this.db.manager, `SELECT id FROM districts WHERE lower(code) = lower($1)`, [code]);
    return row?.id ?? null;
  }
}

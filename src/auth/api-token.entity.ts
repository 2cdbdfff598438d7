import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './principal.js';

@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') role!: Role;
  @Column('uuid', { name: 'district_id', nullable: true }) districtId!: string | null;
  @Column('bytea', { name: 'secret_hash', select: false }) secretHash!: Buffer;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('uuid', { name: 'staff_user_id', nullable: true }) staffUserId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

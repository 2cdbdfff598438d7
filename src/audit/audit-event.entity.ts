import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('uuid', { name: 'actor_token_id', nullable: true }) actorTokenId!: string | null;
  @Column('text') actor!: string;
  @Column('uuid', { name: 'district_id', nullable: true }) districtId!: string | null;
  @Column('text', { name: 'entity_type' }) entityType!: string;
  @Column('text', { name: 'entity_id' }) entityId!: string;
  @Column('text') action!: string;
  @Column('jsonb', { nullable: true }) before!: unknown;
  @Column('jsonb', { nullable: true }) after!: unknown;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
}

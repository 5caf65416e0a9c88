import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditAction = 'create' | 'update' | 'delete';

/** One change made by a request or a job: who, what, when, and the fields that changed. */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text', { nullable: true })
  actorEmail: string | null;

  @Column('text', { nullable: true })
  requestId: string | null;

  /** The background job that made the change, when a job did. */
  @Column('uuid', { nullable: true })
  jobId: string | null;

  @Column('text')
  action: AuditAction;

  /** The entity's table name, e.g. `user_account`, `edition`. */
  @Column()
  entity: string;

  @Column()
  entityId: string;

  /** `{ field: { from, to } }`; secrets are redacted. */
  @Column('jsonb')
  changes: Record<string, { from?: unknown; to?: unknown }>;

  @Column('text', { nullable: true })
  reason: string | null;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Our side of a pg-boss job: who asked for it and how far it has come. pg-boss keeps the
 * state, the result and the error; it has no notion of progress or of a requester.
 */
@Entity('background_job')
export class BackgroundJob {
  @PrimaryColumn('uuid')
  id: string;

  @Column()
  queue: string;

  @Column('uuid', { nullable: true })
  requestedBy: string | null;

  /** Kept with the id, so the job's audit entries name who started it without a look-up elsewhere. */
  @Column('text', { nullable: true })
  requestedByEmail: string | null;

  @Column('int')
  done: number;

  @Column('int', { nullable: true })
  total: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

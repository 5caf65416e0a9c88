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

  @Column('int')
  done: number;

  @Column('int', { nullable: true })
  total: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

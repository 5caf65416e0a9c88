import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Whether a student was at a session, as a teacher or planner recorded it. No row: not recorded, counted as absent. */
@Entity('attendance_record')
export class AttendanceRecord {
  @PrimaryColumn('uuid')
  sessionId: string;

  @PrimaryColumn('uuid')
  studentId: string;

  @Column('uuid')
  editionId: string;

  @Column('boolean')
  present: boolean;

  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @Column('timestamptz')
  recordedAt: Date;
}

/** The share of an edition's sessions a student must attend for the course's diploma (professional registers ask it for PE points). */
@Entity('attendance_requirement')
export class AttendanceRequirement {
  @PrimaryColumn('uuid')
  courseId: string;

  @Column('int')
  minimumPercent: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

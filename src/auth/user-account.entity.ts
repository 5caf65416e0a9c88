import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from '../kernel/role';

@Entity('user_account')
export class UserAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-case; unique. */
  @Column()
  email: string;

  @Column()
  displayName: string;

  @Column({ select: false })
  passwordHash: string;

  @Column('text', { array: true })
  roles: Role[];

  @Column()
  locale: 'nl' | 'en';

  /** The student record a `student` user may read; set by the enrolment module. */
  @Column('uuid', { nullable: true })
  studentId: string | null;

  /** The teacher record a `teacher` user acts as; set by the planning module. */
  @Column('uuid', { nullable: true })
  teacherId: string | null;

  @Column()
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

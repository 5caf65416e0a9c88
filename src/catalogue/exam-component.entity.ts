import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Course } from './course.entity';
import { decimalTransformer } from '../kernel/decimal.transformer';

/** One exam of a course (the exam module's `Exam`): its share in the final grade, pass mark and attempts. */
@Entity('exam_component')
export class ExamComponent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Not in answers: a component is answered inside its course. */
  @ApiHideProperty()
  @ManyToOne('Course', (course: Course) => course.examComponents, { onDelete: 'CASCADE', orphanedRowAction: 'delete' })
  @JoinColumn({ name: 'course_id' })
  course: Relation<Course>;

  @Column('uuid')
  courseId: string;

  /** 1-based order within the course. */
  @Column('int')
  position: number;

  @Column('text')
  name: string;

  /** Share in the final grade, in percent; the components of a course add up to 100. */
  @Column('int')
  weight: number;

  /** Grade (1.0–10.0) needed to pass; 5.5 unless the course says otherwise. */
  @Column('numeric', { precision: 3, scale: 1, transformer: decimalTransformer })
  passMark: number;

  @Column('int')
  maxAttempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

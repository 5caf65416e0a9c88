import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/** A student enrolled in an edition, as far as planning needs to know: whom to mail, whose calendar. */
export interface Participant {
  studentId: string;
  name: string;
  email: string;
  locale: 'nl' | 'en';
  /** False while the seat is held pending the admission decision: not yet told it is final, no calendar yet. */
  final: boolean;
}

/**
 * Who is enrolled in an edition. Planning asks; the enrolment module answers by providing
 * an implementation under this class as token, in its own module:
 * `{ provide: EditionParticipants, useClass: EnrolmentParticipants }`.
 */
export abstract class EditionParticipants {
  /** The students holding a seat: enrolled, or still waiting for the admission decision (`final` false). */
  abstract enrolled(editionId: string, manager?: EntityManager): Promise<Participant[]>;
  /** Seats held per edition, for room sizes; editions without any may be left out. */
  abstract countEnrolled(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>>;
  /** Students per edition that count toward its minimum at the go/no-go check; editions without any may be left out. */
  abstract countTowardsMinimum(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>>;
  /** Whether the student is enrolled in the edition (to read its calendar). */
  abstract isEnrolled(editionId: string, studentId: string, manager?: EntityManager): Promise<boolean>;
}

/**
 * Planning's access to the participants: the app's `EditionParticipants` provider, found in
 * whichever module registers it, so that planning does not depend on the later enrolment
 * module. An application without one does not start: planning would otherwise mail and size
 * rooms as if nobody were enrolled.
 */
@Injectable()
export class EnrolledStudents implements OnModuleInit {
  private source!: EditionParticipants;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    try {
      this.source = this.moduleRef.get(EditionParticipants, { strict: false });
    } catch {
      throw new Error('No module provides EditionParticipants: the enrolment module must be loaded with planning');
    }
  }

  enrolled(editionId: string, manager?: EntityManager): Promise<Participant[]> {
    return this.source.enrolled(editionId, manager);
  }

  countEnrolled(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (editionIds.length === 0) return Promise.resolve(new Map());
    return this.source.countEnrolled(editionIds, manager);
  }

  countTowardsMinimum(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (editionIds.length === 0) return Promise.resolve(new Map());
    return this.source.countTowardsMinimum(editionIds, manager);
  }

  isEnrolled(editionId: string, studentId: string, manager?: EntityManager): Promise<boolean> {
    return this.source.isEnrolled(editionId, studentId, manager);
  }
}

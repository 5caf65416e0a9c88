import { Injectable } from '@nestjs/common';
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
 * module. Without one, nobody is enrolled: mails then go only to teachers and planners, and
 * room sizes are checked against the edition's capacity alone.
 */
@Injectable()
export class EnrolledStudents {
  private source?: EditionParticipants | null;

  constructor(private readonly moduleRef: ModuleRef) {}

  enrolled(editionId: string, manager?: EntityManager): Promise<Participant[]> {
    return this.provider()?.enrolled(editionId, manager) ?? Promise.resolve([]);
  }

  countEnrolled(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (editionIds.length === 0) return Promise.resolve(new Map());
    return this.provider()?.countEnrolled(editionIds, manager) ?? Promise.resolve(new Map());
  }

  countTowardsMinimum(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (editionIds.length === 0) return Promise.resolve(new Map());
    return this.provider()?.countTowardsMinimum(editionIds, manager) ?? Promise.resolve(new Map());
  }

  isEnrolled(editionId: string, studentId: string, manager?: EntityManager): Promise<boolean> {
    return this.provider()?.isEnrolled(editionId, studentId, manager) ?? Promise.resolve(false);
  }

  private provider(): EditionParticipants | null {
    if (this.source === undefined) {
      try {
        this.source = this.moduleRef.get(EditionParticipants, { strict: false });
      } catch {
        this.source = null;
      }
    }
    return this.source;
  }
}

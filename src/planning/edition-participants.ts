import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/** A student enrolled in an edition, as far as planning needs to know: whom to mail, whose calendar. */
export interface Participant {
  studentId: string;
  name: string;
  email: string;
  locale: 'nl' | 'en';
}

/**
 * Who is enrolled in an edition. Planning asks; the enrolment module answers by providing
 * an implementation under this class as token, in its own module:
 * `{ provide: EditionParticipants, useClass: EnrolmentParticipants }`.
 */
export abstract class EditionParticipants {
  /** The students currently enrolled (not waitlisted, not cancelled). */
  abstract enrolled(editionId: string, manager?: EntityManager): Promise<Participant[]>;
  /** Enrolled students per edition, for room sizes and the go/no-go check; editions without any may be left out. */
  abstract countEnrolled(editionIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>>;
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

import { Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { INSTITUTE_ZONE } from '../kernel/time';
import { EditionsService } from '../planning/editions.service';
import { PersonalDataRegistry, type RetainedData } from '../privacy/personal-data-registry';
import { BillingParty } from './billing-party.entity';
import { EnrolmentStatusChange } from './enrolment.entity';
import { Student } from './student.entity';

/** Years an invoice, and the customer's name and address on it, must be kept (Dutch tax law). */
const INVOICE_RETENTION_YEARS = 7;

/**
 * Enrolment's part of a student's export and erasure: the student record, their own billing
 * parties, and enrolments with their history. Enrolments stay as
 * anonymous records; the student's own billing party keeps its name and address, the part
 * invoices need, for seven years after the year of erasure (art. 52 AWR). Direct SQL rather than
 * `save()`, so the audit log does not copy the erased values.
 */
@Injectable()
export class EnrolmentPersonalData implements OnModuleInit {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly editions: EditionsService,
    private readonly catalogue: CatalogueService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'enrolment',
      describe: 'The student record, their own billing parties, and enrolments with their history.',
      retention: [
        {
          what: "the name and address of the student's own billing party, as invoices show them",
          period: `${INVOICE_RETENTION_YEARS} years after the end of the year of erasure (art. 52 AWR)`,
        },
        { what: 'the enrolments, without the personal data', period: 'as anonymous records, for as long as the editions are kept' },
      ],
      records: async (studentId, manager) => {
        const ids = async (sql: string) => (await manager.query<{ id: string }[]>(sql, [studentId])).map((r) => r.id);
        return [
          { entity: 'student', ids: [studentId], redact: true },
          { entity: 'enrolment', ids: await ids(`SELECT id::text FROM enrolment WHERE student_id = $1`), redact: false },
          { entity: 'billing_party', ids: await ids(`SELECT id::text FROM billing_party WHERE student_id = $1`), redact: ['contactName', 'contactEmail'] },
        ];
      },
      export: async (studentId, manager) => {
        const billingParties = await manager.findBy(BillingParty, { studentId });
        return {
          sections: {
            student: await manager.findOneByOrFail(Student, { id: studentId }),
            billingParties,
            enrolments: await this.enrolments(studentId, manager),
            enrolmentHistory: await manager
              .getRepository(EnrolmentStatusChange)
              .createQueryBuilder('h')
              .where('h.enrolment_id IN (SELECT id FROM enrolment WHERE student_id = :studentId)', { studentId })
              .orderBy('h.at')
              .getMany(),
          },
          retained: retained(billingParties),
        };
      },
      erase: async (studentId, manager) => {
        const retainedUntil = DateTime.now().setZone(INSTITUTE_ZONE).endOf('year').plus({ years: INVOICE_RETENTION_YEARS }).toISODate();
        await manager.query(
          `UPDATE student SET given_names = '', name_prefix = '', family_name = '', email = NULL, phone = NULL, date_of_birth = NULL,
                  address = NULL, prior_education = NULL, profession = '', sector = '', years_of_experience = NULL, employer = '',
                  notes = '', erased_at = now(), updated_at = now(), version = version + 1
            WHERE id = $1`,
          [studentId],
        );
        await manager.query(
          `UPDATE billing_party SET contact_name = '', contact_email = NULL, retained_until = $2, updated_at = now(), version = version + 1
            WHERE student_id = $1`,
          [studentId, retainedUntil],
        );
        return {
          erased: [
            "the student's name, email address, phone number, date of birth, address, prior education, work and notes",
            "the contact person of the student's own billing parties",
          ],
          retained: retained(await manager.findBy(BillingParty, { studentId })),
        };
      },
    });
  }

  /** The student's enrolments as stored, each with its edition's code and its course's code and Dutch title. */
  private async enrolments(studentId: string, manager: EntityManager): Promise<Record<string, unknown>[]> {
    const rows = await manager.query<({ edition_id: string } & Record<string, unknown>)[]>(
      `SELECT * FROM enrolment WHERE student_id = $1 ORDER BY created_at`,
      [studentId],
    );
    const editions = await this.editions.coursesOf(rows.map((r) => r.edition_id), manager);
    const courseIds = new Set([...editions.values()].map((e) => e.courseId));
    const courses = new Map((await this.catalogue.courses([...courseIds], manager)).map((c) => [c.id, c]));
    // The foreign keys keep every enrolment's edition and every edition's course.
    return rows.map((row) => {
      const edition = editions.get(row.edition_id)!;
      const course = courses.get(edition.courseId)!;
      return { ...row, edition_code: edition.code, course_code: course.code, course_title: course.titleNl };
    });
  }
}

function retained(parties: BillingParty[]): RetainedData[] {
  return parties
    .filter((p) => p.retainedUntil)
    .map((p) => ({
      what: `the name and address of billing party ${p.id} (${p.name}), as invoices show them`,
      until: p.retainedUntil,
      reason: `invoices and the customer's name and address on them are kept ${INVOICE_RETENTION_YEARS} years (art. 52 AWR)`,
    }));
}

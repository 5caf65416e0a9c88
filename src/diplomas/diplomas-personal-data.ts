import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/**
 * A student's diplomas and ceremony invitations, for the student's export and erasure. The
 * diploma register stays: an employer must be able to verify a diploma for as long as it is valid.
 */
@Injectable()
export class DiplomasPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'diplomas',
      describe: 'Diplomas issued to the student (name as printed, number, grade) and ceremony invitations with their answers.',
      export: async (studentId, manager) => ({
        sections: {
          diplomas: await manager.query(
            `SELECT id, year, sequence, name_on_diploma, course_title, final_grade, issue_date, superseded_at, revoked_at, revocation_reason, review_reason, review_requested_at, mailed_at
               FROM diploma WHERE student_id = $1 ORDER BY issue_date`,
            [studentId],
          ),
          ceremonyInvitations: await manager.query(`SELECT ceremony_id, answer, guests, answered_at, invited_at FROM ceremony_invitation WHERE student_id = $1`, [studentId]),
        },
      }),
      erase: async (studentId, manager) => {
        const diplomas: unknown[] = await manager.query(`SELECT 1 FROM diploma WHERE student_id = $1 AND revoked_at IS NULL LIMIT 1`, [studentId]);
        await manager.query(`DELETE FROM ceremony_invitation WHERE student_id = $1`, [studentId]);
        return {
          erased: ['ceremony invitations and answers'],
          retained: diplomas.length
            ? [{ what: 'the diploma register: name as printed, course, date, number, and the signed PDF', until: null, reason: 'a diploma must stay verifiable for as long as it is valid' }]
            : [],
        };
      },
      retention: [{ what: 'the diploma register', period: 'as long as the diplomas can be verified' }],
    });
  }
}

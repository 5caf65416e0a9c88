import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/** A student's study advice and course interests, for the student's export and erasure. */
@Injectable()
export class AdvicePersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'advice',
      describe: 'Study advice given to the student (intake, ranked editions, personal note, the text sent) and their course interests.',
      records: async (studentId, manager) => [
        { entity: 'advice', ids: ((await manager.query(`SELECT id::text FROM advice WHERE student_id = $1`, [studentId])) as { id: string }[]).map((r) => r.id), redact: true },
      ],
      export: async (studentId, manager) => ({
        sections: {
          advice: await manager.query(
            `SELECT id, locale, intake, result, selection, personal_note, status, sent_content, sent_at, created_at FROM advice WHERE student_id = $1 ORDER BY created_at`,
            [studentId],
          ),
          // The course's code through the published catalogue would cost a call per interest; the id is the reference.
          courseInterests: await manager.query(`SELECT course_id, created_at FROM course_interest WHERE student_id = $1 ORDER BY created_at`, [studentId]),
        },
      }),
      erase: async (studentId, manager) => {
        await manager.query(`UPDATE advice SET intake = '{}'::jsonb, personal_note = '', sent_content = NULL WHERE student_id = $1`, [studentId]);
        await manager.query(`DELETE FROM course_interest WHERE student_id = $1`, [studentId]);
        return { erased: ['the intake, personal note and sent text of every advice', 'the course interests'] };
      },
    });
  }
}

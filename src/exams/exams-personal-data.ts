import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/** A student's exam registrations and results, for the student's export and erasure. */
@Injectable()
export class ExamsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'exams',
      describe: 'Exam registrations (attempts, fees, special arrangements) and results.',
      records: async (studentId, manager) => [
        { entity: 'exam_registration', ids: await ids(manager, `SELECT id::text FROM exam_registration WHERE student_id = $1`, studentId), redact: ['arrangementNote'] },
      ],
      export: async (studentId, manager) => ({
        sections: {
          examRegistrations: await manager.query(
            `SELECT id, sitting_id, component_id, attempt, status, fee_cents, extra_time_minutes, separate_room, arrangement_note, created_at
               FROM exam_registration WHERE student_id = $1 ORDER BY created_at`,
            [studentId],
          ),
          examResults: await manager.query(`SELECT id, registration_id, component_id, outcome, grade, passed, published_at FROM exam_result WHERE student_id = $1`, [studentId]),
        },
      }),
      erase: async (studentId, manager) => {
        await manager.query(`UPDATE exam_registration SET arrangement_note = NULL WHERE student_id = $1`, [studentId]);
        return {
          erased: ['the notes on special arrangements'],
          retained: [{ what: 'exam results and attempts', until: null, reason: 'the grades a diploma and the course records rest on' }],
        };
      },
      retention: [{ what: 'exam results and attempts', period: 'as long as the course records and diplomas they support' }],
    });
  }
}

async function ids(manager: EntityManager, sql: string, studentId: string): Promise<string[]> {
  return ((await manager.query(sql, [studentId])) as { id: string }[]).map((row) => row.id);
}

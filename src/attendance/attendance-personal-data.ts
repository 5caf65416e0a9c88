import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/** Who was present at which session, for the student's export and erasure. */
@Injectable()
export class AttendancePersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'attendance',
      describe: 'The student’s presence at each session of their editions.',
      export: async (studentId, manager) => ({
        sections: { attendance: await manager.query(`SELECT * FROM attendance_record WHERE student_id = $1`, [studentId]) },
      }),
      erase: async (studentId, manager) => {
        await manager.query(`DELETE FROM attendance_record WHERE student_id = $1`, [studentId]);
        return { erased: ['attendance at every session'] };
      },
    });
  }
}

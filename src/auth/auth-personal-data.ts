import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/** A student's user accounts, for the student's export and erasure. */
@Injectable()
export class AuthPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'auth',
      describe: "The student's user accounts: email address, name, roles and language.",
      export: async (studentId: string, manager: EntityManager) => ({
        sections: {
          userAccounts: await manager.query(
            `SELECT id, email, display_name, roles, locale, active, created_at FROM user_account WHERE student_id = $1`,
            [studentId],
          ),
        },
      }),
      erase: async (studentId: string, manager: EntityManager) => {
        await manager.query(`UPDATE user_account SET active = false, student_id = NULL, updated_at = now() WHERE student_id = $1`, [studentId]);
        return { erased: ["the link between the student and their user accounts, which are deactivated"] };
      },
    });
  }
}

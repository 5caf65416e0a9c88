import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonalDataRegistry } from '../privacy/personal-data-registry';

/** The mail sent to a student, for the student's export and erasure. */
@Injectable()
export class MailPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'mail',
      describe: 'The mail messages sent to the student: address, subject, text and delivery status.',
      export: async (studentId: string, manager: EntityManager) => ({
        sections: {
          mails: await manager.query(
            `SELECT id, type, locale, to_email, to_name, subject, text, status, created_at, sent_at FROM mail_message WHERE student_id = $1 ORDER BY created_at`,
            [studentId],
          ),
        },
      }),
      erase: async (studentId: string, manager: EntityManager) => {
        await manager.query(
          `UPDATE mail_message SET to_email = 'erased@invalid', to_name = '', data = '{}'::jsonb, html = '', text = '' WHERE student_id = $1`,
          [studentId],
        );
        return { erased: ['the address, name, template data and text of every mail to the student (type, subject and status stay)'] };
      },
    });
  }
}

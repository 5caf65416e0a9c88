import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestContext } from '../kernel/request-context';
import { PersonalDataRegistry, type PersonalRecordRef } from '../privacy/personal-data-registry';

/**
 * The audit trail about a student's records, for the student's export and erasure. Which records
 * are the student's the modules that keep them say (`records` in the registry); the audit log
 * keeps its entries about them, with their personal values redacted, and notes the erasure.
 */
@Injectable()
export class AuditPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      module: 'audit',
      describe: "The audit trail of changes to the student's records: who changed what, when and why.",
      erasesLast: true,
      retention: [{ what: 'the audit entries about the student: who changed which record when, and why, without the values changed', period: 'as long as the audit log is kept' }],
      export: async (_studentId: string, manager: EntityManager, records: PersonalRecordRef[]) => ({
        sections: { auditTrail: await this.entries(manager, records) },
      }),
      erase: async (studentId: string, manager: EntityManager, { reason, records }) => {
        for (const { entity, ids, redact } of records.filter((r) => r.redact !== false && r.ids.length > 0)) {
          if (redact === true) {
            await manager.query(`UPDATE audit_entry SET changes = '{}'::jsonb WHERE entity = $1 AND entity_id = ANY($2::text[])`, [entity, ids]);
          } else {
            await manager.query(`UPDATE audit_entry SET changes = changes - $3::text[] WHERE entity = $1 AND entity_id = ANY($2::text[]) AND changes ?| $3::text[]`, [
              entity,
              ids,
              redact,
            ]);
          }
        }
        const scope = RequestContext.current();
        await manager.query(
          `INSERT INTO audit_entry (actor_id, actor_email, request_id, job_id, action, entity, entity_id, changes, reason)
           VALUES ($1, $2, $3, $4, 'update', 'student', $5, '{"erased": {"to": true}}'::jsonb, $6)`,
          [scope.actor?.id ?? null, scope.actor?.email ?? null, scope.requestId ?? null, scope.jobId ?? null, studentId, reason],
        );
        return {
          erased: ['the values changed in the audit entries about the student and their advice, and the erased fields in those about their billing parties'],
          retained: [{ what: 'the audit entries about the student without their values, and the erasure itself', until: null, reason: 'kept as long as the audit log is kept' }],
        };
      },
    });
  }

  private entries(manager: EntityManager, records: PersonalRecordRef[]): Promise<unknown[]> {
    const refs = records.flatMap((r) => r.ids.map((id) => ({ entity: r.entity, id })));
    if (refs.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT a.id, a.occurred_at, a.action, a.entity, a.entity_id, a.changes, a.reason
         FROM audit_entry a JOIN jsonb_to_recordset($1::jsonb) AS r(entity text, id text) ON a.entity = r.entity AND a.entity_id = r.id
        ORDER BY a.occurred_at, a.id`,
      [JSON.stringify(refs)],
    );
  }
}

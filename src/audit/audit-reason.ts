import type { SaveOptions } from 'typeorm';

/** What the audit subscriber reads from a save's `data`: why this change was made. */
export interface AuditedSaveData {
  auditReason?: string;
}

/**
 * Save options that give the change its reason in the audit log, passed to the `save` that
 * makes it: `manager.save(edition, becauseOf(reason))`. No reason, no options.
 */
export function becauseOf(reason: string | null | undefined): SaveOptions {
  return reason ? { data: { auditReason: reason } satisfies AuditedSaveData } : {};
}

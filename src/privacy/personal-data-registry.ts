import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A record some module keeps about the student, by table and id, so that the audit trail about it can be found. */
export interface PersonalRecordRef {
  entity: string;
  ids: string[];
  /**
   * What of its audit entries' values is personal data, to be redacted on erasure: all of them
   * (`true`), the named fields, or nothing (`false`).
   */
  redact: boolean | string[];
}

/** Data kept after an erasure, and until when: a date, or `null` while the condition in `reason` holds. */
export interface RetainedData {
  what: string;
  until: string | null;
  reason: string;
}

/** What a module keeps beyond an erasure, as a rule (shown in every export, erased or not). */
export interface RetentionRule {
  what: string;
  period: string;
}

export interface PersonalDataExport {
  /** Sections of the export by name (e.g. `mails`), each as the module stores it. */
  sections: Record<string, unknown>;
  /** What this module still holds of an erased student, and until when. */
  retained?: RetainedData[];
}

export interface ErasureContext {
  reason: string;
  /** The records all modules declared about the student, gathered before any module erased. */
  records: PersonalRecordRef[];
}

export interface ErasureResult {
  /** What the module erased, in words. */
  erased: string[];
  retained?: RetainedData[];
}

/** How one module exports and erases the personal data it holds about a student. */
export interface PersonalDataHolder {
  /** The module's folder name, e.g. `mail`. */
  module: string;
  /** What the module holds about a student, in one sentence. */
  describe: string;
  /** The module's own records about the student (for the audit trail about them). */
  records?(studentId: string, manager: EntityManager): Promise<PersonalRecordRef[]>;
  export(studentId: string, manager: EntityManager, records: PersonalRecordRef[]): Promise<PersonalDataExport>;
  erase(studentId: string, manager: EntityManager, context: ErasureContext): Promise<ErasureResult>;
  retention?: RetentionRule[];
  /**
   * A holder that keeps the trail of the others' changes (the audit log) erases after all the
   * others, so that nothing they change afterwards escapes it.
   */
  erasesLast?: boolean;
}

export interface ModuleSection {
  module: string;
  describe: string;
  sections: string[];
  retention: RetentionRule[];
  retained: RetainedData[];
}

export interface ModuleErasure {
  module: string;
  describe: string;
  erased: string[];
  retention: RetentionRule[];
  retained: RetainedData[];
}

/**
 * Every module that holds a student's personal data registers here, in its `onModuleInit`,
 * how to export and erase it and what it must retain. Student export and erasure walk the
 * registry in one transaction, so no module reads or writes another's tables for it.
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly holders: PersonalDataHolder[] = [];

  register(holder: PersonalDataHolder): void {
    if (this.holders.some((h) => h.module === holder.module)) throw new Error(`Personal data of module ${holder.module} is registered twice`);
    this.holders.push(holder);
  }

  /** The modules registered, in the order they are walked. */
  modules(): string[] {
    return this.ordered().map((h) => h.module);
  }

  /** Every module's export, its sections merged into one object, with a per-module index of them. */
  async export(studentId: string, manager: EntityManager): Promise<{ sections: Record<string, unknown>; modules: ModuleSection[] }> {
    const records = await this.records(studentId, manager);
    const sections: Record<string, unknown> = {};
    const modules: ModuleSection[] = [];
    for (const holder of this.ordered()) {
      const exported = await holder.export(studentId, manager, records);
      for (const [name, value] of Object.entries(exported.sections)) {
        if (name in sections) throw new Error(`Export section ${name} of module ${holder.module} is given by another module too`);
        sections[name] = value;
      }
      modules.push({
        module: holder.module,
        describe: holder.describe,
        sections: Object.keys(exported.sections),
        retention: holder.retention ?? [],
        retained: exported.retained ?? [],
      });
    }
    return { sections, modules };
  }

  /** Erases in the caller's transaction: every module or none. */
  async erase(studentId: string, manager: EntityManager, reason: string): Promise<ModuleErasure[]> {
    const context: ErasureContext = { reason, records: await this.records(studentId, manager) };
    const answers: ModuleErasure[] = [];
    for (const holder of this.ordered()) {
      const result = await holder.erase(studentId, manager, context);
      answers.push({ module: holder.module, describe: holder.describe, erased: result.erased, retention: holder.retention ?? [], retained: result.retained ?? [] });
    }
    return answers;
  }

  private async records(studentId: string, manager: EntityManager): Promise<PersonalRecordRef[]> {
    const refs: PersonalRecordRef[] = [];
    for (const holder of this.ordered()) if (holder.records) refs.push(...(await holder.records(studentId, manager)));
    return refs;
  }

  private ordered(): PersonalDataHolder[] {
    return [...this.holders.filter((h) => !h.erasesLast), ...this.holders.filter((h) => h.erasesLast)];
  }
}

/** What a module keeps after an erasure, and until when. */
export class RetainedDataDto {
  what: string;
  /** ISO date; `null` while the condition in `reason` holds (e.g. as long as a diploma can be verified). */
  until: string | null;
  reason: string;
}

/** What a module keeps beyond an erasure, as a rule. */
export class RetentionRuleDto {
  what: string;
  period: string;
}

/** One module's part of a student export: which sections it gave and what it retains. */
export class PersonalDataModuleDto {
  module: string;
  describe: string;
  /** Names of the export's top-level sections this module gave. */
  sections: string[];
  retention: RetentionRuleDto[];
  retained: RetainedDataDto[];
}

/** One module's part of an erasure: what it erased and what it retains. */
export class PersonalDataErasureDto {
  module: string;
  describe: string;
  erased: string[];
  retention: RetentionRuleDto[];
  retained: RetainedDataDto[];
}

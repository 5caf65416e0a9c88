import type { FieldError } from '../kernel/domain-errors';
import type { ResultOutcome } from './exam-result.entity';

export type Grading = 'grade' | 'pass_fail';

/** What a result says, before it is stored. */
export interface ResultValue {
  outcome: ResultOutcome;
  grade: number | null;
}

export interface ComponentRules {
  id: string;
  name: string;
  weight: number;
  passMark: number;
  grading: Grading;
}

/** A grade is 1.0–10.0 with at most one decimal. */
export function isGrade(value: number): boolean {
  return Number.isFinite(value) && value >= 1 && value <= 10 && Math.abs(Math.round(value * 10) - value * 10) < 1e-9;
}

/**
 * Checks a result against its component: a grade only where the component is graded, pass or
 * fail only where it is pass/fail; absent and exempt anywhere. Answers whether it passes.
 */
export function judge(value: ResultValue, component: ComponentRules): { passed: boolean } | { error: Omit<FieldError, 'field'> } {
  switch (value.outcome) {
    case 'grade':
      if (component.grading !== 'grade') return { error: { rule: 'pass_fail_component', message: `${component.name} is marked pass or fail, not with a grade` } };
      if (value.grade === null || !isGrade(value.grade)) return { error: { rule: 'grade', message: `a grade is 1.0 to 10.0 with one decimal, not ${value.grade}` } };
      return { passed: value.grade >= component.passMark };
    case 'pass':
    case 'fail':
      if (component.grading !== 'pass_fail') return { error: { rule: 'graded_component', message: `${component.name} is marked with a grade, not pass or fail` } };
      return { passed: value.outcome === 'pass' };
    case 'absent':
      return { passed: false };
    case 'exempt':
      return { passed: true };
  }
}

/**
 * A result as a CSV cell gives it: a grade with a decimal point or comma ("5,5" as Dutch
 * spreadsheets write it), or a word: pass/voldaan, fail/onvoldaan, absent/afwezig, exempt/vrijstelling.
 */
export function parseResultCell(cell: string): ResultValue | null {
  const text = cell.trim().toLowerCase();
  const words: Record<string, ResultOutcome> = {
    pass: 'pass',
    voldaan: 'pass',
    fail: 'fail',
    onvoldaan: 'fail',
    'niet voldaan': 'fail',
    absent: 'absent',
    afwezig: 'absent',
    exempt: 'exempt',
    vrijstelling: 'exempt',
  };
  if (words[text]) return { outcome: words[text], grade: null };
  if (!/^\d{1,2}([.,]\d)?$/.test(text)) return null;
  return { outcome: 'grade', grade: Number(text.replace(',', '.')) };
}

export interface ComponentResult {
  componentId: string;
  outcome: ResultOutcome;
  grade: number | null;
  passed: boolean;
}

/** Half away from zero, to one decimal. */
const oneDecimal = (value: number) => Math.sign(value) * Math.round(Math.abs(value) * 10 + 1e-9) / 10;

/**
 * Whether a student has passed the course, and the final grade: every component needs a
 * passing result (the best one counts where there are more); the final grade is the average
 * of the graded components' best grades weighted by their weights, to one decimal. Pass/fail
 * and exempt components count for passing, not for the average; with none graded the final
 * grade is null.
 */
export function courseOutcome(components: readonly ComponentRules[], results: readonly ComponentResult[]): { passed: boolean; finalGrade: number | null } {
  let weighted = 0;
  let weights = 0;
  for (const component of components) {
    const passing = results.filter((r) => r.componentId === component.id && r.passed);
    if (passing.length === 0) return { passed: false, finalGrade: null };
    const grades = passing.filter((r) => r.outcome === 'grade').map((r) => r.grade!);
    if (grades.length > 0 && component.grading === 'grade' && !passing.some((r) => r.outcome === 'exempt')) {
      weighted += Math.max(...grades) * component.weight;
      weights += component.weight;
    }
  }
  return { passed: true, finalGrade: weights > 0 ? oneDecimal(weighted / weights) : null };
}

import { ComponentRules, courseOutcome, isGrade, judge, parseResultCell } from './result-rules';

const written: ComponentRules = { id: 'w', name: 'Schriftelijk', weight: 60, passMark: 5.5, grading: 'grade' };
const practical: ComponentRules = { id: 'p', name: 'Praktijk', weight: 40, passMark: 6, grading: 'grade' };
const attendance: ComponentRules = { id: 'a', name: 'Aanwezigheid', weight: 1, passMark: 5.5, grading: 'pass_fail' };

describe('grades', () => {
  it('takes 1.0–10.0 with one decimal', () => {
    expect([1, 5.5, 10, 7.2].every(isGrade)).toBe(true);
    expect([0.9, 10.1, 5.55, NaN].some(isGrade)).toBe(false);
  });

  it('judges a result against its component', () => {
    expect(judge({ outcome: 'grade', grade: 5.5 }, written)).toEqual({ passed: true });
    expect(judge({ outcome: 'grade', grade: 5.9 }, practical)).toEqual({ passed: false });
    expect(judge({ outcome: 'grade', grade: 5.55 }, written)).toEqual({ error: expect.objectContaining({ rule: 'grade' }) });
    expect(judge({ outcome: 'pass', grade: null }, written)).toEqual({ error: expect.objectContaining({ rule: 'graded_component' }) });
    expect(judge({ outcome: 'grade', grade: 8 }, attendance)).toEqual({ error: expect.objectContaining({ rule: 'pass_fail_component' }) });
    expect(judge({ outcome: 'pass', grade: null }, attendance)).toEqual({ passed: true });
    expect(judge({ outcome: 'absent', grade: null }, written)).toEqual({ passed: false });
    expect(judge({ outcome: 'exempt', grade: null }, written)).toEqual({ passed: true });
  });

  it('reads CSV cells with a decimal comma or point, and words in Dutch or English', () => {
    expect(parseResultCell('5,5')).toEqual({ outcome: 'grade', grade: 5.5 });
    expect(parseResultCell(' 7.0 ')).toEqual({ outcome: 'grade', grade: 7 });
    expect(parseResultCell('Afwezig')).toEqual({ outcome: 'absent', grade: null });
    expect(parseResultCell('voldaan')).toEqual({ outcome: 'pass', grade: null });
    expect(parseResultCell('5,55')).toBeNull();
    expect(parseResultCell('zes')).toBeNull();
    expect(parseResultCell('')).toBeNull();
  });
});

describe('course outcome', () => {
  it('averages the best passing grades by weight, to one decimal, half away from zero', () => {
    const results = [
      { componentId: 'w', outcome: 'grade' as const, grade: 4.0, passed: false },
      { componentId: 'w', outcome: 'grade' as const, grade: 6.5, passed: true },
      { componentId: 'p', outcome: 'grade' as const, grade: 7.0, passed: true },
      { componentId: 'a', outcome: 'pass' as const, grade: null, passed: true },
    ];
    // (6.5 * 60 + 7.0 * 40) / 100 = 6.7
    expect(courseOutcome([written, practical, attendance], results)).toEqual({ passed: true, finalGrade: 6.7 });
    // (6.5 * 60 + 6.0 * 40) / 100 = 6.3; (5.5 * 60 + 6.3 * 40) / 100 = 5.82 → 5.8; 6.25 → 6.3
    expect(courseOutcome([written, practical], [
      { componentId: 'w', outcome: 'grade', grade: 6.5, passed: true },
      { componentId: 'p', outcome: 'grade', grade: 6.0, passed: true },
    ]).finalGrade).toBe(6.3);
    expect(courseOutcome([{ ...written, weight: 50 }, { ...practical, weight: 50 }], [
      { componentId: 'w', outcome: 'grade', grade: 6.0, passed: true },
      { componentId: 'p', outcome: 'grade', grade: 6.5, passed: true },
    ]).finalGrade).toBe(6.3);
  });

  it('is not passed while a component lacks a passing result, and has no grade when nothing is graded', () => {
    expect(courseOutcome([written, practical], [{ componentId: 'w', outcome: 'grade', grade: 8, passed: true }])).toEqual({ passed: false, finalGrade: null });
    expect(courseOutcome([written], [{ componentId: 'w', outcome: 'exempt', grade: null, passed: true }])).toEqual({ passed: true, finalGrade: null });
  });
});

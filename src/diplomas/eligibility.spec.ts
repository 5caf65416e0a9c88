import { judge } from './eligibility';

describe('diploma eligibility', () => {
  const attended = { percent: 100, held: 4, present: 4 };
  const completed = { finalGrade: 7.5 };

  it('asks for paid tuition only when the institute requires it', () => {
    expect(judge(completed, 'completed', attended, null, { required: false, paid: false })).toMatchObject({ eligible: true, reasons: [], tuitionPaid: false, paidTuitionRequired: false });
    expect(judge(completed, 'completed', attended, null, { required: true, paid: true })).toMatchObject({ eligible: true, reasons: [], tuitionPaid: true });
    const unpaid = judge(completed, 'completed', attended, null, { required: true, paid: false });
    expect(unpaid.eligible).toBe(false);
    expect(unpaid.reasons).toEqual([{ code: 'tuition_not_paid', message: expect.stringMatching(/^Tuition not paid/) }]);
  });

  it('gives every reason at once', () => {
    const result = judge(null, 'enrolled', { percent: 50, held: 4, present: 2 }, 80, { required: true, paid: false });
    expect(result.reasons.map((r) => r.code)).toEqual(['not_completed', 'attendance_below_minimum', 'tuition_not_paid']);
  });
});

import { checkSittingTimes, endOf, overlaps, resourceConflicts, studentConflicts } from './sitting-rules';

describe('sitting times', () => {
  it('computes the end and refuses one after midnight', () => {
    expect(endOf('09:30', 90)).toBe('11:00');
    expect(endOf('22:00', 119)).toBe('23:59');
    expect(endOf('22:00', 120)).toBeNull();
    expect(checkSittingTimes({ date: '2030-01-10', startTime: '23:00', durationMinutes: 90 }, '2030-01-01')).toEqual({
      errors: [expect.objectContaining({ field: 'durationMinutes', rule: 'ends_before_midnight' })],
    });
    expect(checkSittingTimes({ date: '2030-01-10', startTime: '13:00', durationMinutes: 120 }, '2030-01-01')).toEqual({ endTime: '15:00' });
  });

  it('refuses a date that does not exist or has passed', () => {
    expect(checkSittingTimes({ date: '2030-02-30', startTime: '13:00', durationMinutes: 60 }, '2030-01-01')).toEqual({
      errors: [expect.objectContaining({ field: 'date', rule: 'calendar_date' })],
    });
    expect(checkSittingTimes({ date: '2029-12-31', startTime: '13:00', durationMinutes: 60 }, '2030-01-01')).toEqual({
      errors: [expect.objectContaining({ field: 'date', rule: 'not_in_past' })],
    });
  });
});

describe('sitting conflicts', () => {
  const sitting = { ref: 'sitting A', date: '2030-01-10', startTime: '13:00', endTime: '15:00', roomId: 'r1', teacherIds: ['t1', 't2'] };

  it('treats touching times as free and overlapping ones as taken', () => {
    expect(overlaps(sitting, { date: '2030-01-10', startTime: '15:00', endTime: '16:00' })).toBe(false);
    expect(overlaps(sitting, { date: '2030-01-10', startTime: '14:59', endTime: '16:00' })).toBe(true);
    expect(overlaps(sitting, { date: '2030-01-11', startTime: '13:00', endTime: '15:00' })).toBe(false);
  });

  it('finds the room and each invigilator taken by another booking', () => {
    const others = [
      { ref: 'session S', date: '2030-01-10', startTime: '09:00', endTime: '13:30', roomId: 'r1', teacherIds: ['t2'] },
      { ref: 'sitting B', date: '2030-01-10', startTime: '14:00', endTime: '16:00', roomId: 'r2', teacherIds: ['t1'] },
      { ref: 'sitting A', date: '2030-01-10', startTime: '13:00', endTime: '15:00', roomId: 'r1', teacherIds: ['t1'] },
    ];
    expect(resourceConflicts(sitting, others).map((c) => [c.kind, c.with, c.roomId ?? c.teacherId])).toEqual([
      ['room_double_booked', 'session S', 'r1'],
      ['invigilator_double_booked', 'session S', 't2'],
      ['invigilator_double_booked', 'sitting B', 't1'],
    ]);
  });

  it('finds a student busy elsewhere', () => {
    const theirs = [
      { ref: 'session S', date: '2030-01-10', startTime: '14:30', endTime: '17:00' },
      { ref: 'sitting C', date: '2030-01-10', startTime: '10:00', endTime: '12:00' },
    ];
    expect(studentConflicts(sitting, 'st1', theirs)).toEqual([expect.objectContaining({ kind: 'student_double_booked', with: 'session S', studentId: 'st1' })]);
  });
});

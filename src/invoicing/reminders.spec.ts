import { nextReminder } from './reminders.service';

const settings = { firstReminderDays: 7, secondReminderDays: 21, finalStepDays: 35 };

describe('next reminder', () => {
  it('sends nothing before the due date or before the first reminder is due', () => {
    expect(nextReminder({ reminderLevel: 0, dueDate: '2027-02-01', consumer: true }, '2027-02-01', settings)).toBeNull();
    expect(nextReminder({ reminderLevel: 0, dueDate: '2027-02-01', consumer: true }, '2027-02-07', settings)).toBeNull();
  });
  it('sends the first, then the second reminder after their days', () => {
    expect(nextReminder({ reminderLevel: 0, dueDate: '2027-02-01', consumer: true }, '2027-02-08', settings)).toBe('first');
    expect(nextReminder({ reminderLevel: 1, dueDate: '2027-02-01', consumer: true }, '2027-02-21', settings)).toBeNull();
    expect(nextReminder({ reminderLevel: 1, dueDate: '2027-02-01', consumer: true }, '2027-02-22', settings)).toBe('second');
  });
  it('ends with the 14-day notice for a consumer and the final demand for a business', () => {
    expect(nextReminder({ reminderLevel: 2, dueDate: '2027-02-01', consumer: true }, '2027-03-08', settings)).toBe('notice');
    expect(nextReminder({ reminderLevel: 2, dueDate: '2027-02-01', consumer: false }, '2027-03-08', settings)).toBe('final_demand');
    expect(nextReminder({ reminderLevel: 3, dueDate: '2027-02-01', consumer: false }, '2028-03-08', settings)).toBeNull();
  });
});

import { meetsMinimum } from '../attendance/attendance-percentage';
import type { IneligibilityReason } from './dto/diploma.dto';

/** Whether a student has earned a course's diploma, and why not. */
export interface Eligibility {
  eligible: boolean;
  reasons: IneligibilityReason[];
  enrolmentId: string | null;
  editionId: string | null;
  finalGrade: number | null;
  attendancePercent: number | null;
  minimumAttendancePercent: number | null;
  tuitionPaid: boolean;
  paidTuitionRequired: boolean;
}

/** The rule: the enrolment completed (every exam component passed), the attendance minimum met, and the tuition paid where the institute asks it. */
export function judge(
  completed: { finalGrade: number | null } | null,
  enrolmentStatus: string,
  attendance: { percent: number | null; held: number; present: number },
  minimumPercent: number | null,
  tuition: { required: boolean; paid: boolean },
): Omit<Eligibility, 'enrolmentId' | 'editionId'> {
  const reasons: IneligibilityReason[] = [];
  if (!completed) {
    reasons.push({
      code: 'not_completed',
      message: enrolmentStatus === 'enrolled' ? 'Not every exam component of the course has been passed yet' : `The enrolment is ${enrolmentStatus}, not completed`,
    });
  }
  if (!meetsMinimum(attendance, minimumPercent)) {
    reasons.push({
      code: 'attendance_below_minimum',
      message:
        attendance.percent === null
          ? `The course asks for ${minimumPercent}% attendance and no session has been held`
          : `Attendance is ${attendance.percent}% (${attendance.present} of ${attendance.held} sessions); the course asks for ${minimumPercent}%`,
    });
  }
  if (tuition.required && !tuition.paid) reasons.push({ code: 'tuition_not_paid', message: 'Tuition not paid: the institute asks for paid tuition before a diploma' });
  return {
    eligible: reasons.length === 0,
    reasons,
    finalGrade: completed?.finalGrade ?? null,
    attendancePercent: attendance.percent,
    minimumAttendancePercent: minimumPercent,
    tuitionPaid: tuition.paid,
    paidTuitionRequired: tuition.required,
  };
}

import { Platform1764230400000 } from './1764230400000-platform';
import { Mail1764230500000 } from './1764230500000-mail';
import { Catalogue1764230600000 } from './1764230600000-catalogue';
import { Planning1764230700000 } from './1764230700000-planning';
import { Enrolment1764230800000 } from './1764230800000-enrolment';
import { TeacherLink1764230900000 } from './1764230900000-teacher-link';
import { StudentNameOrder1764231100000 } from './1764231100000-student-name-order';
import { Admission1764231200000 } from './1764231200000-admission';
import { CatalogueChangeCount1764231300000 } from './1764231300000-catalogue-change-count';
import { SessionRevocationAndLoginLimits1764231420000 } from './1764231420000-session-revocation-and-login-limits';
import { Seams1764231500000 } from './1764231500000-seams';
import { MailSubjects1764231550000 } from './1764231550000-mail-subjects';
import { ExamComponentGrading1764231590000 } from './1764231590000-exam-component-grading';
import { Exams1764231600000 } from './1764231600000-exams';
import { Invoicing1764231700000 } from './1764231700000-invoicing';
import { Diplomas1764231800000 } from './1764231800000-diplomas';
import { InvoicingCreditAndCorrections1764231900000 } from './1764231900000-invoicing-credit-and-corrections';
import { PaidTuitionAndDiplomaReview1764232000000 } from './1764232000000-paid-tuition-and-diploma-review';
import { TuitionAcrossTransfers1764232200000 } from './1764232200000-tuition-across-transfers';
import { AdviceResultAsWritten1764232300000 } from './1764232300000-advice-result-as-written';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [
  Platform1764230400000,
  Mail1764230500000,
  Catalogue1764230600000,
  Planning1764230700000,
  Enrolment1764230800000,
  TeacherLink1764230900000,
  StudentNameOrder1764231100000,
  Admission1764231200000,
  CatalogueChangeCount1764231300000,
  SessionRevocationAndLoginLimits1764231420000,
  Seams1764231500000,
  MailSubjects1764231550000,
  ExamComponentGrading1764231590000,
  Exams1764231600000,
  Invoicing1764231700000,
  Diplomas1764231800000,
  InvoicingCreditAndCorrections1764231900000,
  PaidTuitionAndDiplomaReview1764232000000,
  TuitionAcrossTransfers1764232200000,
  AdviceResultAsWritten1764232300000,
];

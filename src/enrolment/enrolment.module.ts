import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { PlanningModule } from '../planning/planning.module';
import { EditionParticipants } from '../planning/edition-participants';
import { Edition } from '../planning/edition.entity';
import { AdviceCandidates } from './advice-candidates';
import { AdviceController } from './advice.controller';
import { Advice, CourseInterest } from './advice.entity';
import { AdviceService } from './advice.service';
import { BillingPartiesController } from './billing-parties.controller';
import { BillingPartiesService } from './billing-parties.service';
import { BillingParty } from './billing-party.entity';
import { EnrolmentMail } from './enrolment-mail.service';
import { EnrolmentCompletion } from './enrolment-completion';
import { EnrolmentDirectory } from './enrolment-directory';
import { EnrolmentPersonalData } from './enrolment-personal-data';
import { EnrolmentHistory } from './enrolment-history';
import { EnrolmentSettings } from './enrolment-settings.entity';
import { Enrolment, EnrolmentStatusChange } from './enrolment.entity';
import { EnrolmentsController } from './enrolments.controller';
import { EnrolmentsService } from './enrolments.service';
import { Student } from './student.entity';
import { StudentsController } from './students.controller';
import { StudentsService } from './students.service';

/**
 * Students and billing parties, enrolment without overbooking (waitlist, offers, cancellation
 * fees, transfers), study advice with ranked editions, and course interest. Tells planning
 * who is enrolled through `EditionParticipants`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Student, BillingParty, Enrolment, EnrolmentStatusChange, EnrolmentSettings, Advice, CourseInterest, Edition]), MailModule, PlanningModule],
  controllers: [StudentsController, BillingPartiesController, EnrolmentsController, AdviceController],
  providers: [
    StudentsService,
    BillingPartiesService,
    EnrolmentMail,
    EnrolmentsService,
    AdviceCandidates,
    AdviceService,
    EnrolmentHistory,
    EnrolmentDirectory,
    EnrolmentCompletion,
    EnrolmentPersonalData,
    { provide: EditionParticipants, useExisting: EnrolmentDirectory },
  ],
  exports: [StudentsService, EnrolmentsService, EnrolmentDirectory, EnrolmentCompletion, EditionParticipants],
})
export class EnrolmentModule {}

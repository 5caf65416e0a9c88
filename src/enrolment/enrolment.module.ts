import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { MailModule } from '../mail/mail.module';
import { PlanningModule } from '../planning/planning.module';
import { EditionParticipants } from '../planning/edition-participants';
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
import { EnrolmentAdmission } from './enrolment-admission.service';
import { EnrolmentSeats } from './enrolment-seats.service';
import { EnrolmentTerms } from './enrolment-terms.service';
import { EnrolmentsService } from './enrolments.service';
import { Student } from './student.entity';
import { StudentsController } from './students.controller';
import { StudentsService } from './students.service';

/**
 * Students and billing parties, enrolment without overbooking (waitlist, offers, cancellation
 * fees, transfers, admission). Tells planning who is enrolled through `EditionParticipants`;
 * publishes its facts to the modules downstream through `EnrolmentDirectory`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Student, BillingParty, Enrolment, EnrolmentStatusChange, EnrolmentSettings]), MailModule, CatalogueModule, PlanningModule],
  controllers: [StudentsController, BillingPartiesController, EnrolmentsController],
  providers: [
    StudentsService,
    BillingPartiesService,
    EnrolmentMail,
    EnrolmentSeats,
    EnrolmentAdmission,
    EnrolmentTerms,
    EnrolmentsService,
    EnrolmentHistory,
    EnrolmentDirectory,
    EnrolmentCompletion,
    EnrolmentPersonalData,
    { provide: EditionParticipants, useExisting: EnrolmentDirectory },
  ],
  exports: [StudentsService, EnrolmentsService, EnrolmentSeats, EnrolmentTerms, EnrolmentDirectory, EnrolmentCompletion, EditionParticipants],
})
export class EnrolmentModule {}

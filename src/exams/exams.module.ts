import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EnrolmentModule } from '../enrolment/enrolment.module';
import { MailModule } from '../mail/mail.module';
import { PlanningModule } from '../planning/planning.module';
import { ExamFees } from './exam-fees';
import { ExamMail } from './exam-mail.service';
import { ExamRegistration } from './exam-registration.entity';
import { ExamRegistrationsController } from './exam-registrations.controller';
import { ExamRegistrationsService } from './exam-registrations.service';
import { ExamResult } from './exam-result.entity';
import { ExamResultsController } from './exam-results.controller';
import { ExamResultsService } from './exam-results.service';
import { ExamRemindersService } from './exam-reminders.service';
import { ExamSettings } from './exam-settings.entity';
import { ExamSettingsController } from './exam-settings.controller';
import { ExamSitting, ExamSittingStatusChange } from './exam-sitting.entity';
import { ExamSittingsController } from './exam-sittings.controller';
import { ExamSittingsService } from './exam-sittings.service';
import { ExamsPersonalData } from './exams-personal-data';
import { ExamStudents } from './exam-students';
import { ExamTimetablingController } from './exam-timetabling.controller';
import { ExamTimetablingService } from './exam-timetabling.service';

/** Exam sittings, registrations and results; the timetabler in `timetabler/` proposes sittings. */
@Module({
  imports: [TypeOrmModule.forFeature([ExamSettings, ExamSitting, ExamSittingStatusChange, ExamRegistration, ExamResult]), CatalogueModule, PlanningModule, EnrolmentModule, MailModule],
  controllers: [ExamSittingsController, ExamRegistrationsController, ExamResultsController, ExamSettingsController, ExamTimetablingController],
  providers: [ExamsPersonalData, ExamStudents, ExamFees, ExamMail, ExamSittingsService, ExamRegistrationsService, ExamResultsService, ExamRemindersService, ExamTimetablingService],
  exports: [ExamFees],
})
export class ExamsModule implements NestModule {
  /** The results import takes its CSV file as the body, as text. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(text({ type: 'text/csv', limit: '2mb' })).forRoutes({ path: 'exam-sittings/:id/results.csv', method: RequestMethod.POST });
  }
}

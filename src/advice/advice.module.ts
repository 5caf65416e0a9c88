import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EnrolmentModule } from '../enrolment/enrolment.module';
import { MailModule } from '../mail/mail.module';
import { PlanningModule } from '../planning/planning.module';
import { AdviceCandidates } from './advice-candidates';
import { AdviceController } from './advice.controller';
import { Advice, CourseInterest } from './advice.entity';
import { AdvicePersonalData } from './advice-personal-data';
import { AdviceService } from './advice.service';
import { CourseInterests } from './course-interests.service';
import { StudentAdviceController } from './student-advice.controller';

/**
 * Study advice with ranked editions, and course interest: a student interested in a course is
 * mailed when an edition of it opens (a handler of planning's `edition.opened`). Reads the
 * catalogue, planning's open editions and enrolment's students and seats through what they export.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Advice, CourseInterest]), AuditModule, AuthModule, CatalogueModule, MailModule, PlanningModule, EnrolmentModule],
  controllers: [AdviceController, StudentAdviceController],
  providers: [AdvicePersonalData, AdviceCandidates, AdviceService, CourseInterests],
})
export class AdviceModule {}

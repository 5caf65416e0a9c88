import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { raw } from 'express';
import { AttendanceModule } from '../attendance/attendance.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EnrolmentModule } from '../enrolment/enrolment.module';
import { JobsModule } from '../jobs/jobs.module';
import { MailModule } from '../mail/mail.module';
import { PlanningModule } from '../planning/planning.module';
import { SettingsModule } from '../settings/settings.module';
import { CeremoniesController } from './ceremonies/ceremonies.controller';
import { CeremoniesService } from './ceremonies/ceremonies.service';
import { Ceremony, CeremonyInvitation } from './ceremonies/ceremony.entity';
import { DiplomaRenderer } from './certificate/diploma-renderer';
import { DiplomaSigning } from './certificate/diploma-signing';
import { Diploma, DiplomaDocument, DiplomaNumberCounter } from './diploma.entity';
import { DiplomaRequirements } from './diploma-requirements';
import { DiplomaReview } from './diploma-review';
import { DiplomaSettings, DiplomaTuition } from './diploma-settings.entity';
import { DiplomasController } from './diplomas.controller';
import { DiplomasPersonalData } from './diplomas-personal-data';
import { DiplomasService } from './diplomas.service';
import { VerificationController } from './verification/verification.controller';
import { VerificationService } from './verification/verification.service';

/** Diplomas: issuing with signed PDFs, public verification, revocation, reissue, mailing. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Diploma, DiplomaDocument, DiplomaNumberCounter, DiplomaSettings, DiplomaTuition, Ceremony, CeremonyInvitation]),
    AttendanceModule,
    CatalogueModule,
    PlanningModule,
    EnrolmentModule,
    JobsModule,
    MailModule,
    SettingsModule,
  ],
  controllers: [DiplomasController, VerificationController, CeremoniesController],
  providers: [DiplomasPersonalData, DiplomaSigning, DiplomaRenderer, DiplomaRequirements, DiplomasService, DiplomaReview, VerificationService, CeremoniesService],
  exports: [DiplomasService, DiplomaRequirements],
})
export class DiplomasModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The uploaded diploma arrives as the raw body.
    consumer.apply(raw({ type: 'application/pdf', limit: '10mb' })).forRoutes({ path: 'verify/document', method: RequestMethod.POST });
  }
}

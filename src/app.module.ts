import { DynamicModule, Module } from '@nestjs/common';
import { AdviceModule } from './advice/advice.module';
import { AttendanceModule } from './attendance/attendance.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { ConfigModule } from './config/config.module';
import { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { DiplomasModule } from './diplomas/diplomas.module';
import { EventsModule } from './events/events.module';
import { EnrolmentModule } from './enrolment/enrolment.module';
import { ExamsModule } from './exams/exams.module';
import { InvoicingModule } from './invoicing/invoicing.module';
import { HealthModule } from './health/health.module';
import { HttpModule } from './http/http.module';
import { JobsModule } from './jobs/jobs.module';
import { PlanningModule } from './planning/planning.module';
import { PrivacyModule } from './privacy/privacy.module';
import { MailModule } from './mail/mail.module';
import { SettingsModule } from './settings/settings.module';

/** The feature modules of the domain; the API and the worker both load all of them. */
export const FEATURE_MODULES = [EventsModule, PrivacyModule, AuthModule, AuditModule, SettingsModule, JobsModule, HealthModule, DemoModule, MailModule, CatalogueModule, PlanningModule, EnrolmentModule, AdviceModule, ExamsModule, InvoicingModule, AttendanceModule, DiplomasModule];

@Module({})
export class AppModule {
  static forRoot(env: Environment, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(env), DatabaseModule.forRoot(databaseUrl), HttpModule, ...FEATURE_MODULES],
    };
  }
}

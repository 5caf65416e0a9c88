import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InvoicingModule } from '../invoicing/invoicing.module';
import { SettingsModule } from '../settings/settings.module';
import { DemoSeeder } from './demo.seeder';

@Module({
  // Invoicing first: its handlers of enrolment's events must be registered before the demo enrols anyone.
  imports: [AuthModule, SettingsModule, InvoicingModule],
  providers: [DemoSeeder],
})
export class DemoModule {}

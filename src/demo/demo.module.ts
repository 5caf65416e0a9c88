import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SettingsModule } from '../settings/settings.module';
import { DemoSeeder } from './demo.seeder';

@Module({
  imports: [AuthModule, SettingsModule],
  providers: [DemoSeeder],
})
export class DemoModule {}

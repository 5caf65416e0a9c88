import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit.controller';
import { AuditEntry } from './audit-entry.entity';
import { AuditSubscriber } from './audit.subscriber';
import { AuditPersonalData } from './audit-personal-data';
import { AuditedInsert } from './audited-insert';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditSubscriber, AuditPersonalData, AuditedInsert],
  exports: [AuditedInsert],
})
export class AuditModule {}

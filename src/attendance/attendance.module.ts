import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EnrolmentModule } from '../enrolment/enrolment.module';
import { PlanningModule } from '../planning/planning.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceRecord, AttendanceRequirement } from './attendance.entity';
import { AttendancePersonalData } from './attendance-personal-data';
import { AttendanceService } from './attendance.service';

/** Presence at sessions and the attendance percentage per student and edition; diplomas read the latter. */
@Module({
  imports: [TypeOrmModule.forFeature([AttendanceRecord, AttendanceRequirement]), CatalogueModule, PlanningModule, EnrolmentModule],
  controllers: [AttendanceController],
  providers: [AttendancePersonalData, AttendanceService],
  exports: [AttendanceService],
})
export class AttendanceModule {}

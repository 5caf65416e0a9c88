import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { MailModule } from '../mail/mail.module';
import { AssignmentService } from './assignment.service';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { ClosingDay } from './closing-day.entity';
import { ClosingDaysController } from './closing-days.controller';
import { Edition } from './edition.entity';
import { EditionLifeService } from './edition-life.service';
import { EditionReadModel } from './edition-read-model';
import { EnrolledStudents } from './edition-participants';
import { EditionsController } from './editions.controller';
import { EditionsService } from './editions.service';
import { Location } from './location.entity';
import { LocationsController } from './locations.controller';
import { LocationsService } from './locations.service';
import { NonTeachingDaysService } from './non-teaching-days.service';
import { PlanningBoardService } from './planning-board.service';
import { PlanningController } from './planning.controller';
import { PlanningMail } from './planning-mail.service';
import { OtherOccupancies } from './other-occupancy';
import { PlanningSettings } from './planning-settings.entity';
import { Room } from './room.entity';
import { Session } from './session.entity';
import { SessionsController } from './sessions.controller';
import { Teacher } from './teacher.entity';
import { TeachersController } from './teachers.controller';
import { TeachersService } from './teachers.service';

/**
 * Teachers, locations and rooms, closing days, editions and their sessions, conflicts,
 * automatic assignment, calendar feeds and the go/no-go check.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PlanningSettings, ClosingDay, Location, Room, Teacher, Edition, Session]), MailModule, CatalogueModule, AuthModule],
  controllers: [TeachersController, LocationsController, ClosingDaysController, EditionsController, SessionsController, PlanningController, CalendarController],
  providers: [
    EnrolledStudents,
    NonTeachingDaysService,
    TeachersService,
    LocationsService,
    PlanningBoardService,
    PlanningMail,
    EditionsService,
    AssignmentService,
    CalendarService,
    EditionLifeService,
    EditionReadModel,
    OtherOccupancies,
  ],
  exports: [EditionsService, EditionReadModel, PlanningBoardService, NonTeachingDaysService, TeachersService, LocationsService, OtherOccupancies],
})
export class PlanningModule {}

import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { UpdateExamSettingsDto } from './dto/settings.dto';
import { ExamRemindersService } from './exam-reminders.service';
import { ExamSettings } from './exam-settings.entity';

@ApiTags('exams')
@Controller('exam-settings')
export class ExamSettingsController {
  constructor(private readonly reminders: ExamRemindersService) {}

  @Roles('admin', 'coordinator', 'planner')
  @Get()
  get(): Promise<ExamSettings> {
    return this.reminders.settings();
  }

  /** How many days before a sitting its registered students are reminded (a job runs daily at 07:00). */
  @Roles('admin', 'coordinator')
  @Put()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Body() body: UpdateExamSettingsDto): Promise<ExamSettings> {
    return this.reminders.updateSettings(body);
  }
}

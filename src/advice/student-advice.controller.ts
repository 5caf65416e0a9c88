import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../kernel/request-context';
import { assertMayRead } from '../enrolment/student-access';
import { Advice, CourseInterest } from './advice.entity';
import { AdviceService } from './advice.service';
import { CourseInterests } from './course-interests.service';
import { CourseInterestDto } from './dto/course-interest.dto';

/** A student's advice and course interests, under the student's path. */
@ApiTags('students')
@Controller('students')
export class StudentAdviceController {
  constructor(
    private readonly advice: AdviceService,
    private readonly interests: CourseInterests,
  ) {}

  /** Every advice for the student, newest first. */
  @Get(':id/advice')
  @Roles('advisor', 'admin')
  adviceHistory(@Param('id', ParseUUIDPipe) id: string): Promise<Advice[]> {
    return this.advice.history(id);
  }

  /** Courses the student wants to hear about when an edition opens. */
  @Get(':id/course-interests')
  @Roles('advisor', 'admin', 'student')
  courseInterests(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<CourseInterest[]> {
    assertMayRead(actor, id);
    return this.interests.of(id);
  }

  @Post(':id/course-interests')
  @Roles('advisor', 'admin')
  addInterest(@Param('id', ParseUUIDPipe) id: string, @Body() input: CourseInterestDto): Promise<CourseInterest[]> {
    return this.interests.add(id, input.courseId);
  }
}

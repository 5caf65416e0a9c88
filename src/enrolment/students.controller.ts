import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page, PageQuery } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { CreateStudentDto, ErasureDto, type StudentErasure, StudentErasureDto, type StudentExport, StudentExportDto, StudentQuery, UpdateStudentDto } from './dto/student.dto';
import { Enrolment } from './enrolment.entity';
import { assertMayRead } from './student-access';
import { Student } from './student.entity';
import { StudentsService } from './students.service';

@ApiTags('students')
@Controller('students')
export class StudentsController {
  constructor(private readonly students: StudentsService) {}

  /** Registers a student; an email address that is already known is refused (409 duplicate_email, with the existing student's id). */
  @Post()
  @Roles('advisor', 'admin')
  create(@Body() input: CreateStudentDto): Promise<Student> {
    return this.students.create(input);
  }

  /** Students by family name; `q` searches names and email addresses. */
  @Get()
  @Roles(...STAFF)
  @ApiPage(Student)
  list(@Query() query: StudentQuery) {
    return this.students.list(query);
  }

  /** One student; a student user only their own record. */
  @Get(':id')
  @Roles(...STAFF, 'student')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<Student> {
    assertMayRead(actor, id);
    return this.students.get(id);
  }

  @Patch(':id')
  @Roles('advisor', 'admin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() input: UpdateStudentDto): Promise<Student> {
    return this.students.update(id, input);
  }

  /** Everything stored about the student, as JSON (GDPR access and portability). */
  @Get(':id/export')
  @Roles('advisor', 'admin', 'student')
  @ApiOkResponse({ type: StudentExportDto })
  export(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<StudentExport> {
    assertMayRead(actor, id);
    return this.students.export(id);
  }

  /**
   * Anonymises the student's personal data on request, in every module that holds some; what must be kept (e.g. for invoices,
   * 7 years) is retained and said in `erasure`, module by module, with until when.
   */
  @Post(':id/erasure')
  @HttpCode(200)
  @Roles('advisor', 'admin')
  @ApiOkResponse({ type: StudentErasureDto })
  erase(@Param('id', ParseUUIDPipe) id: string, @Body() input: ErasureDto): Promise<StudentErasure> {
    return this.students.erase(id, input.reason);
  }

  /** The student's enrolments, oldest first. */
  @Get(':id/enrolments')
  @Roles(...STAFF, 'student')
  @ApiPage(Enrolment)
  enrolments(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery, @CurrentActor() actor: Actor): Promise<Page<Enrolment>> {
    assertMayRead(actor, id);
    return this.students.enrolments(id, query);
  }
}

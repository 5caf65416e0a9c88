import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { InvalidInputError } from '../kernel/domain-errors';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { EnterResultDto, PublishResultsDto, ResultQuery, ResultsImportDto, ResultsImportQuery } from './dto/result.dto';
import { ExamResult } from './exam-result.entity';
import { ExamResultsService } from './exam-results.service';

@ApiTags('exams')
@Controller()
export class ExamResultsController {
  constructor(private readonly results: ExamResultsService) {}

  /**
   * Enters or changes the result of a registration of a held sitting: a grade 1.0–10.0 with one
   * decimal (a JSON number) for a graded component, pass or fail for a pass/fail one, absent or
   * exempt for any. A published result changes only with a `reason`; the student is mailed the
   * correction. A teacher enters results only for students of editions they teach.
   */
  @Roles('admin', 'coordinator', 'teacher')
  @Post('exam-results')
  @HttpCode(200)
  @ApiOkResponse({ type: ExamResult })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'The sitting is not held, or the teacher does not teach the edition' })
  enter(@Body() body: EnterResultDto, @CurrentActor() actor: Actor): Promise<ExamResult> {
    return this.results.enter(body, actor);
  }

  /** Results: staff see all, a teacher those of sittings they invigilate, a student their own published ones. */
  @Roles('admin', 'coordinator', 'planner', 'advisor', 'teacher', 'student')
  @Get('exam-results')
  @ApiPage(ExamResult)
  list(@Query() query: ResultQuery, @CurrentActor() actor: Actor): Promise<Page<ExamResult>> {
    return this.results.list(query, actor);
  }

  @Roles('admin', 'coordinator', 'planner', 'advisor', 'teacher', 'student')
  @Get('exam-results/:id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ExamResult> {
    return this.results.get(id, actor);
  }

  /**
   * Imports a sitting's results from CSV (`Content-Type: text/csv`): a header with
   * `studentNumber` and `grade` (or `studentnummer`, `cijfer`), then one line per student; a
   * grade may have a decimal comma ("5,5", quoted when the delimiter is a comma; `;` works as
   * delimiter too) or be pass, fail, absent, exempt. The whole file is checked first: any wrong
   * line stores nothing, and the 400 lists every wrong line (missing column, duplicate row,
   * unknown student number, not registered, not a grade).
   */
  @Roles('admin', 'coordinator', 'teacher')
  @Post('exam-sittings/:id/results.csv')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'studentNumber,grade\r\nS-000123,"7,5"\r\nS-000124,afwezig\r\n' } })
  @ApiOkResponse({ type: ResultsImportDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'The sitting is not held, or the teacher does not teach an edition of the file' })
  import(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @Query() query: ResultsImportQuery, @CurrentActor() actor: Actor): Promise<ResultsImportDto> {
    if (typeof body !== 'string') throw new InvalidInputError([{ field: 'body', rule: 'text_csv', message: 'send the file as Content-Type: text/csv' }]);
    return this.results.importCsv(id, body, query.reason, actor);
  }

  /** Publishes the sitting's results that are not yet published and mails each student theirs. */
  @Roles('admin', 'coordinator')
  @Post('exam-sittings/:id/publish-results')
  @HttpCode(200)
  @ApiOkResponse({ type: PublishResultsDto })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'The sitting is not held' })
  publish(@Param('id', ParseUUIDPipe) id: string): Promise<PublishResultsDto> {
    return this.results.publish(id);
  }
}

import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ZipFile } from 'yazl';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import { NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { STAFF } from '../kernel/role';
import { DiplomaRequirements } from './diploma-requirements';
import { DiplomaSettings } from './diploma-settings.entity';
import { DiplomasService } from './diplomas.service';
import {
  DiplomaCandidates,
  DiplomaJobStarted,
  DiplomaQuery,
  DiplomaView,
  IssuedDiploma,
  IssueDiplomaDto,
  IssueEditionDiplomasDto,
  MailedDiploma,
  ReissueDiplomaDto,
  ResolveReviewDto,
  RevokeDiplomaDto,
  UpdateDiplomaSettingsDto,
} from './dto/diploma.dto';

const isStaff = (actor: Actor) => actor.roles.some((role) => STAFF.includes(role));

/** A student reaches their own diplomas only; to anyone else another's does not exist. */
function assertMayRead(actor: Actor, studentId: string, id: string): void {
  if (isStaff(actor) || (actor.roles.includes('student') && actor.studentId === studentId)) return;
  throw new NotFoundError('Diploma', id);
}

/** A file name for a zip entry or a download: the number and the name, without path characters. */
function fileName(number: string, name: string): string {
  return `${number} ${name}`.replace(/[\\/:*?"<>|]/g, '_').replace(/\p{Cc}/gu, '') + '.pdf';
}

@ApiTags('diplomas')
@Controller()
export class DiplomasController {
  constructor(
    private readonly diplomas: DiplomasService,
    private readonly requirements: DiplomaRequirements,
  ) {}

  /**
   * Issues the diploma of a course to a student who has earned it (422 not_eligible_for_diploma
   * with the reasons otherwise), mailed to them with the PDF unless `mail` is false. The same
   * student and course again answers the existing diploma (200, `created` false).
   */
  @Post('diplomas')
  @Roles('coordinator')
  @ApiCreatedResponse({ type: IssuedDiploma, description: 'Issued' })
  @ApiOkResponse({ type: IssuedDiploma, description: 'Already issued: the existing diploma' })
  @ApiUnprocessableEntityResponse({ description: 'not_eligible_for_diploma (with reasons), diploma_signing_not_configured' })
  async issue(@Body() input: IssueDiplomaDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<IssuedDiploma> {
    const issued = await this.diplomas.issue(actor, input);
    response.status(issued.created ? HttpStatus.CREATED : HttpStatus.OK);
    return issued;
  }

  /** Diplomas, newest first (`needsReview=true`: those flagged because their enrolment was reopened); a student sees only their own. */
  @Get('diplomas')
  @Roles(...STAFF, 'student')
  @ApiPage(DiplomaView)
  list(@Query() query: DiplomaQuery, @CurrentActor() actor: Actor): Promise<Page<DiplomaView>> {
    return this.diplomas.list(query, isStaff(actor) ? undefined : (actor.studentId ?? '00000000-0000-0000-0000-000000000000'));
  }

  @Get('diplomas/:id')
  @Roles(...STAFF, 'student')
  @ApiNotFoundResponse()
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<DiplomaView> {
    const diploma = await this.diplomas.get(id);
    assertMayRead(actor, diploma.studentId, id);
    return this.diplomas.view(diploma);
  }

  /** The signed PDF exactly as issued (its SHA-256 is the diploma's pdfSha256). */
  @Get('diplomas/:id/pdf')
  @Roles(...STAFF, 'student')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse()
  async pdf(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const { diploma, pdf } = await this.diplomas.document(id);
    assertMayRead(actor, diploma.studentId, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: contentDisposition(fileName(diploma.number, diploma.nameOnDiploma)) });
  }

  /**
   * A new version (lost, name change): new number, code and PDF, pointing to this one, which
   * then shows as superseded. A diploma flagged for review is reissued through its review.
   */
  @Post('diplomas/:id/reissue')
  @Roles('coordinator')
  @ApiCreatedResponse({ type: DiplomaView })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'diploma_revoked, diploma_needs_review' })
  reissue(@Param('id', ParseUUIDPipe) id: string, @Body() input: ReissueDiplomaDto, @CurrentActor() actor: Actor): Promise<DiplomaView> {
    return this.diplomas.reissue(actor, id, input);
  }

  /** Revokes the diploma, with a reason kept in the audit log; the verification page then says revoked. */
  @Post('diplomas/:id/revoke')
  @Roles('coordinator')
  @HttpCode(200)
  @ApiOkResponse({ type: DiplomaView })
  @ApiNotFoundResponse()
  revoke(@Param('id', ParseUUIDPipe) id: string, @Body() input: RevokeDiplomaDto, @CurrentActor() actor: Actor): Promise<DiplomaView> {
    return this.diplomas.revoke(actor, id, input.reason);
  }

  /**
   * Answers the review of a diploma flagged because its enrolment was reopened: `confirm` (it
   * stays as issued), `revoke`, or `reissue` (a new version with the enrolment's current final
   * grade; 422 not_eligible_for_diploma with the reasons when the student no longer earns it).
   * The reason goes into the audit log.
   */
  @Post('diplomas/:id/review')
  @Roles('coordinator')
  @HttpCode(200)
  @ApiOkResponse({ type: DiplomaView, description: 'The diploma (confirmed or revoked), or the new version (reissued)' })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'diploma_not_flagged, not_eligible_for_diploma' })
  resolveReview(@Param('id', ParseUUIDPipe) id: string, @Body() input: ResolveReviewDto, @CurrentActor() actor: Actor): Promise<DiplomaView> {
    return this.diplomas.resolveReview(actor, id, input);
  }

  /** What the institute asks for a diploma beyond the course's requirements: paid tuition. */
  @Get('diploma-settings')
  @Roles('coordinator', 'admin')
  settings(): Promise<DiplomaSettings> {
    return this.requirements.settings();
  }

  @Patch('diploma-settings')
  @Roles('coordinator', 'admin')
  @ApiConflictResponse({ description: 'stale_version' })
  updateSettings(@Body() input: UpdateDiplomaSettingsDto): Promise<DiplomaSettings> {
    return this.requirements.updateSettings(input);
  }

  /** Mails the diploma to the student again, PDF attached; refused for a revoked or superseded one. */
  @Post('diplomas/:id/mail')
  @Roles('coordinator')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MailedDiploma })
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'diploma_revoked, diploma_superseded, student_has_no_email' })
  mail(@Param('id', ParseUUIDPipe) id: string): Promise<MailedDiploma> {
    return this.diplomas.mail(id);
  }

  /** Every enrolled or completed student of the edition: eligible yes or no, and why not. */
  @Get('editions/:editionId/diploma-candidates')
  @Roles('coordinator', 'admin')
  @ApiNotFoundResponse()
  candidates(@Param('editionId', ParseUUIDPipe) editionId: string): Promise<DiplomaCandidates> {
    return this.diplomas.candidates(editionId);
  }

  /** Issues (and mails) the diplomas of every eligible student of the edition, as a job: follow it at GET /jobs/{jobId}. */
  @Post('editions/:editionId/diplomas')
  @Roles('coordinator')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DiplomaJobStarted })
  @ApiNotFoundResponse()
  async issueEdition(@Param('editionId', ParseUUIDPipe) editionId: string, @Body() input: IssueEditionDiplomasDto, @CurrentActor() actor: Actor): Promise<DiplomaJobStarted> {
    return { jobId: await this.diplomas.startEdition(editionId, input.mail ?? true, actor) };
  }

  /** The PDFs of the edition's valid diplomas in one zip. */
  @Get('editions/:editionId/diplomas.zip')
  @Roles('coordinator', 'admin')
  @ApiProduces('application/zip')
  @ApiOkResponse({ content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse()
  async zip(@Param('editionId', ParseUUIDPipe) editionId: string): Promise<StreamableFile> {
    await this.diplomas.editionExists(editionId);
    const zip = new ZipFile();
    for await (const { diploma, pdf } of this.diplomas.editionDocuments(editionId)) {
      // PDFs are compressed already: stored as they are.
      zip.addBuffer(pdf, fileName(diploma.number, diploma.nameOnDiploma), { compress: false, mtime: diploma.issuedAt });
    }
    zip.end();
    return new StreamableFile(zip.outputStream as unknown as NodeJS.ReadableStream as never, {
      type: 'application/zip',
      disposition: contentDisposition(`diplomas-${editionId}.zip`),
    });
  }
}

/** attachment with an ASCII fallback and the UTF-8 name (RFC 6266). */
function contentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import type { Page } from '../http/pagination';
import type { Actor } from '../kernel/request-context';
import { AdmissionDecisionDto, CancelEnrolmentDto, ChangeBillingPartyDto, CreateEnrolmentDto, EnrolmentQuery, EnrolmentViewDto, TransferEnrolmentDto, UpdateEnrolmentSettingsDto } from './dto/enrolment.dto';
import { EnrolmentSettings } from './enrolment-settings.entity';
import { EnrolmentStatusChange } from './enrolment.entity';
import { EnrolmentAdmission } from './enrolment-admission.service';
import { EnrolmentSeats } from './enrolment-seats.service';
import { EnrolmentTerms } from './enrolment-terms.service';
import { EnrolmentsService } from './enrolments.service';

@ApiTags('enrolments')
@Controller()
export class EnrolmentsController {
  constructor(
    private readonly enrolments: EnrolmentsService,
    private readonly seats: EnrolmentSeats,
    private readonly admission: EnrolmentAdmission,
    private readonly terms: EnrolmentTerms,
  ) {}

  /**
   * Enrols a student in an open edition before its deadline: `enrolled` while seats are free,
   * else `waitlisted` in the order taken. Entry requirements are checked; an advisor may
   * override them with `overrideReason`. When the records cannot show the entry level (not
   * recorded, or below an hbo-working-level minimum) the seat is `received` until an advisor
   * decides admission (`POST /enrolments/{id}/admission`).
   */
  @Post('enrolments')
  @Roles('advisor', 'admin')
  @ApiConflictResponse({ description: 'The student already has a live enrolment in the edition (`already_enrolled`)' })
  @ApiUnprocessableEntityResponse({ description: 'Entry requirements not met, the edition not open, closed or full, or the student erased' })
  enrol(@Body() input: CreateEnrolmentDto): Promise<EnrolmentViewDto> {
    return this.enrolments.enrol(input);
  }

  /** Enrolments in taken order (the waitlist order); a student user sees only their own. */
  @Get('enrolments')
  @Roles(...STAFF, 'student')
  @ApiPage(EnrolmentViewDto)
  list(@Query() query: EnrolmentQuery, @CurrentActor() actor: Actor): Promise<Page<EnrolmentViewDto>> {
    return this.enrolments.list(query, actor);
  }

  @Get('enrolments/:id')
  @Roles(...STAFF, 'student')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.get(id, actor);
  }

  /** Every status the enrolment went through, with who and when. */
  @Get('enrolments/:id/history')
  @Roles(...STAFF, 'student')
  history(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<EnrolmentStatusChange[]> {
    return this.enrolments.history(id, actor);
  }

  /** Cancels; a seat cancelled within the paid period owes the cancellation fee. The freed seat is offered to the first on the waitlist. */
  @Post('enrolments/:id/cancel')
  @HttpCode(200)
  @Roles('advisor', 'admin')
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Body() input: CancelEnrolmentDto, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.terms.cancel(id, input, actor));
  }

  /**
   * Sets or changes who pays (and the purchase order). Invoicing bills what the enrolment owes and
   * was not billed for want of a billing party, and moves what is not yet invoiced to the new
   * one; what is invoiced stays with its invoice (a correction is a credit note).
   */
  @Put('enrolments/:id/billing-party')
  @Roles('advisor', 'finance', 'admin')
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'The enrolment was transferred (`enrolment_transferred`)' })
  async changeBillingParty(@Param('id', ParseUUIDPipe) id: string, @Body() input: ChangeBillingPartyDto, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.terms.changeBillingParty(id, input, actor));
  }

  /** Takes the seat offered after promotion from the waitlist (the student, or an advisor for them). */
  @Post('enrolments/:id/accept')
  @HttpCode(200)
  @Roles('advisor', 'admin', 'student')
  async accept(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.seats.accept(id, actor));
  }

  /**
   * The admission decision after an intake, for an enrolment whose admission is pending.
   * Admitted: the student's prior education level is recorded and a received seat becomes
   * `enrolled` (confirmation mail with the calendar). Not admitted (`reason` required): the
   * enrolment ends as `not_admitted`, the student is mailed and the seat goes to the waitlist.
   */
  @Post('enrolments/:id/admission')
  @HttpCode(200)
  @Roles('advisor', 'admin')
  @ApiNotFoundResponse()
  @ApiUnprocessableEntityResponse({ description: 'No admission is pending (`admission_not_pending`), or the level does not meet the course\'s degree minimum (`admission_level_not_met`)' })
  async decideAdmission(@Param('id', ParseUUIDPipe) id: string, @Body() input: AdmissionDecisionDto, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.admission.decide(id, input, actor));
  }

  /** Declines the offered seat; it goes to the next on the waitlist. */
  @Post('enrolments/:id/decline')
  @HttpCode(200)
  @Roles('advisor', 'admin', 'student')
  async decline(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.seats.decline(id, actor));
  }

  /** Moves the enrolment to another edition of the same course; answers the new enrolment, which points back at the old. */
  @Post('enrolments/:id/transfer')
  @HttpCode(200)
  @Roles('advisor', 'admin')
  async transfer(@Param('id', ParseUUIDPipe) id: string, @Body() input: TransferEnrolmentDto): Promise<EnrolmentViewDto> {
    return this.enrolments.view(await this.terms.transfer(id, input));
  }

  /** The enrolment terms: days to accept an offer, free cancellation period, fee, waitlist size. */
  @Get('enrolment-settings')
  @Roles(...STAFF)
  settings(): Promise<EnrolmentSettings> {
    return this.terms.getSettings();
  }

  @Patch('enrolment-settings')
  @Roles('admin')
  updateSettings(@Body() input: UpdateEnrolmentSettingsDto): Promise<EnrolmentSettings> {
    return this.terms.updateSettings(input);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../kernel/request-context';
import { Advice } from './advice.entity';
import { AdviceService } from './advice.service';
import { AdviceDetailDto, CreateAdviceDto, UpdateAdviceDto } from './dto/advice.dto';

@ApiTags('advice')
@Controller('advice')
export class AdviceController {
  constructor(private readonly advice: AdviceService) {}

  /**
   * Records an intake and ranks the open editions for it: `result.ranked` (top `limit`, each
   * with score, parts and reasons in the student's language), `result.excluded` (with why),
   * `result.coursesWithoutEdition`. The advice is a draft with the ranked editions selected.
   */
  @Post()
  @Roles('advisor', 'admin')
  create(@Body() input: CreateAdviceDto, @CurrentActor() actor: Actor): Promise<Advice> {
    return this.advice.create(input, actor);
  }

  /** The advice with its intake, ranking, selection and, once sent, exactly what was mailed. */
  @Get(':id')
  @Roles('advisor', 'admin', 'student')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<AdviceDetailDto> {
    return this.advice.get(id, actor);
  }

  /** Edits a draft: the editions to send in order with their reasons, the personal note, courses to register interest in. */
  @Patch(':id')
  @Roles('advisor', 'admin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() input: UpdateAdviceDto): Promise<Advice> {
    return this.advice.update(id, input);
  }

  /** Mails the advice (template `advice`) in the student's language and registers the chosen course interests. */
  @Post(':id/send')
  @HttpCode(200)
  @Roles('advisor', 'admin')
  send(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<Advice> {
    return this.advice.send(id, actor);
  }
}

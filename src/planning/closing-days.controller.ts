import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page, PageQuery } from '../http/pagination';
import { ClosingDay } from './closing-day.entity';
import { CreateClosingDayDto } from './dto/closing-day.dto';
import { NonTeachingDaysService } from './non-teaching-days.service';

@ApiTags('planning')
@Controller('closing-days')
export class ClosingDaysController {
  constructor(private readonly days: NonTeachingDaysService) {}

  /** The institute's closing days, on top of the public holidays. */
  @Roles(...STAFF, 'teacher')
  @Get()
  @ApiPage(ClosingDay)
  list(@Query() query: PageQuery): Promise<Page<ClosingDay>> {
    return this.days.listClosingDays(query);
  }

  /** Adds a closing day or range. Sessions already on it show up as `non_teaching_day` conflicts. */
  @Roles('planner', 'admin')
  @Post()
  add(@Body() body: CreateClosingDayDto): Promise<ClosingDay> {
    return this.days.addClosingDays(body);
  }

  @Roles('planner', 'admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.days.removeClosingDays(id);
  }
}

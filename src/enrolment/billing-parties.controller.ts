import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { BillingParty } from './billing-party.entity';
import { BillingPartiesService } from './billing-parties.service';
import { BillingPartyQuery, CreateBillingPartyDto, UpdateBillingPartyDto } from './dto/billing-party.dto';

@ApiTags('billing parties')
@Controller('billing-parties')
export class BillingPartiesController {
  constructor(private readonly parties: BillingPartiesService) {}

  /** A student who pays themself, or an employer paying for one or many students. */
  @Post()
  @Roles('advisor', 'finance', 'admin')
  create(@Body() input: CreateBillingPartyDto): Promise<BillingParty> {
    return this.parties.create(input);
  }

  @Get()
  @Roles('advisor', 'finance', 'admin')
  @ApiPage(BillingParty)
  list(@Query() query: BillingPartyQuery) {
    return this.parties.list(query);
  }

  @Get(':id')
  @Roles('advisor', 'finance', 'admin')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<BillingParty> {
    return this.parties.get(id);
  }

  @Patch(':id')
  @Roles('advisor', 'finance', 'admin')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() input: UpdateBillingPartyDto): Promise<BillingParty> {
    return this.parties.update(id, input);
  }
}

import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../http/api-page.decorator';
import { JsonPage } from '../http/pagination';
import { Roles } from './auth.decorators';
import { CreateUserDto, UpdateUserDto, UserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiPage(UserDto)
  list(@Query() query: UserQuery): Promise<JsonPage<UserDto>> {
    return this.users.list(query);
  }

  @Post()
  @ApiConflictResponse({ description: 'The email address is taken' })
  create(@Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(body);
  }

  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  /** Changes roles, name, language or password, or (de)activates; deactivation ends the user's sessions. */
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, body);
  }
}

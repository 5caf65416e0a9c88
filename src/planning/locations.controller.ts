import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page, PageQuery } from '../http/pagination';
import { CreateLocationDto, CreateRoomDto, UpdateLocationDto, UpdateRoomDto } from './dto/location.dto';
import { Location } from './location.entity';
import { LocationsService } from './locations.service';
import { Room } from './room.entity';

@ApiTags('planning')
@Controller('locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  /** Every location with its rooms; "Online" is a location whose rooms have no seat limit. */
  @Roles(...STAFF, 'teacher')
  @Get()
  @ApiPage(Location)
  list(@Query() query: PageQuery): Promise<Page<Location>> {
    return this.locations.list(query);
  }

  @Roles(...STAFF, 'teacher')
  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Location> {
    return this.locations.get(id);
  }

  @Roles('planner', 'admin')
  @Post()
  @ApiConflictResponse({ description: 'The name is taken' })
  create(@Body() body: CreateLocationDto): Promise<Location> {
    return this.locations.create(body);
  }

  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateLocationDto): Promise<Location> {
    return this.locations.update(id, body);
  }

  @Roles('planner', 'admin')
  @Post(':id/rooms')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'A room of that name exists at the location' })
  addRoom(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateRoomDto): Promise<Room> {
    return this.locations.addRoom(id, body);
  }

  /** A room may not shrink below the capacity of an edition that uses it (422 `capacity_above_room`). */
  @Roles('planner', 'admin')
  @Patch(':id/rooms/:roomId')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  updateRoom(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('roomId', ParseUUIDPipe) roomId: string,
    @Body() body: UpdateRoomDto,
  ): Promise<Room> {
    return this.locations.updateRoom(id, roomId, body);
  }
}

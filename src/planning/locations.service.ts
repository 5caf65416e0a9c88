import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { CreateLocationDto, CreateRoomDto, UpdateLocationDto, UpdateRoomDto } from './dto/location.dto';
import { Location } from './location.entity';
import { Room } from './room.entity';
import { definedFields } from '../http/defined-fields';
import { Page, pageOf, PageQuery } from '../http/pagination';
import { lockVersion } from '../database/version-lock';

@Injectable()
export class LocationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(query: PageQuery): Promise<Page<Location>> {
    const [items, total] = await this.db
      .getRepository(Location)
      .findAndCount({ relations: { rooms: true }, order: { name: 'ASC', rooms: { name: 'ASC' } }, skip: query.offset, take: query.pageSize });
    return pageOf(items, total, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<Location> {
    const location = await manager.findOne(Location, { where: { id }, relations: { rooms: true }, order: { rooms: { name: 'ASC' } } });
    if (!location) throw new NotFoundError('Location', id);
    return location;
  }

  async room(id: string, manager: EntityManager = this.db.manager): Promise<Room> {
    const room = await manager.findOneBy(Room, { id });
    if (!room) throw new NotFoundError('Room', id);
    return room;
  }

  async create(input: CreateLocationDto): Promise<Location> {
    const saved = await this.db.getRepository(Location).save({ online: false, street: '', postcode: '', city: '', ...definedFields(input) });
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateLocationDto): Promise<Location> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, Location, id, input.version, 'Location');
      const location = await this.get(id, manager);
      const { version: _version, ...changes } = definedFields(input);
      if (changes.online !== undefined && changes.online !== location.online && location.rooms.length > 0) {
        throw new BusinessRuleError('location_has_rooms', `Location ${location.name} has rooms; online or not cannot change any more`);
      }
      const { rooms: _rooms, ...own } = location;
      await manager.save(Location, Object.assign(own, changes));
      return this.get(id, manager);
    });
  }

  async addRoom(locationId: string, input: CreateRoomDto): Promise<Room> {
    const location = await this.get(locationId);
    checkCapacity(location, input.capacity);
    return this.db.getRepository(Room).save({
      locationId,
      name: input.name,
      capacity: location.online ? null : input.capacity!,
      facilities: input.facilities ?? [],
      active: true,
    });
  }

  async updateRoom(locationId: string, roomId: string, input: UpdateRoomDto): Promise<Room> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, Room, roomId, input.version, 'Room');
      const location = await this.get(locationId, manager);
      const room = await this.room(roomId, manager);
      if (room.locationId !== locationId) throw new NotFoundError('Room', roomId);
      const { version: _version, ...changes } = definedFields(input);
      if (changes.capacity !== undefined) {
        checkCapacity(location, changes.capacity);
        const [{ largest }] = await manager.query(
          `SELECT max(e.capacity)::int AS largest FROM session s JOIN edition e ON e.id = s.edition_id
           WHERE s.room_id = $1 AND s.status = 'planned' AND e.status NOT IN ('completed', 'cancelled')`,
          [roomId],
        );
        if (largest !== null && changes.capacity < largest) {
          throw new BusinessRuleError(
            'capacity_above_room',
            `Room ${room.name} hosts sessions of an edition with capacity ${largest}; it cannot shrink to ${changes.capacity} seats`,
            {},
            [{ field: 'capacity', rule: 'at_least_edition_capacity', message: `capacity must be at least ${largest}, the largest edition using the room` }],
          );
        }
      }
      return manager.save(Object.assign(room, changes));
    });
  }
}

function checkCapacity(location: Location, capacity: number | undefined): void {
  if (location.online && capacity !== undefined) {
    throw new InvalidInputError([{ field: 'capacity', rule: 'online_unlimited', message: 'an online room has no seat limit: leave capacity out' }]);
  }
  if (!location.online && capacity === undefined) {
    throw new InvalidInputError([{ field: 'capacity', rule: 'required', message: `a room at ${location.name} needs a capacity` }]);
  }
}

import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Location } from './location.entity';

@Entity('room')
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Not in answers: a room is answered inside its location, or on its own with `locationId`. */
  @ApiHideProperty()
  @ManyToOne('Location', (location: Location) => location.rooms)
  @JoinColumn({ name: 'location_id' })
  location: Relation<Location>;

  @Column('uuid')
  locationId: string;

  @Column('text')
  name: string;

  /** Seats; null for an online room (unlimited). */
  @Column('int', { nullable: true })
  capacity: number | null;

  /** E.g. beamer, whiteboard, video, wheelchair access. */
  @Column('text', { array: true })
  facilities: string[];

  /** Inactive rooms keep their history but get no new sessions. */
  @Column('boolean')
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Room } from './room.entity';

/** A building with rooms, or the online "location" whose rooms have no seat limit. */
@Entity('location')
export class Location {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Online: its rooms have no capacity (unlimited) and never double-book. */
  @Column('boolean')
  online: boolean;

  @Column('text')
  street: string;

  @Column('text')
  postcode: string;

  @Column('text')
  city: string;

  @OneToMany(() => Room, (room) => room.location)
  rooms: Room[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

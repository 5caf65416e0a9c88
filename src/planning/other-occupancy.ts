import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IsoDate, WallTime } from '../kernel/time';

/**
 * Time that another module books on planning's resources (an exam sitting, say): a room and
 * teachers taken, and the editions whose calendars show it. Planning's conflict check and its
 * calendar feeds consult these, so that one engine sees all occupancy, without planning
 * knowing the module that books it.
 */
export interface OtherOccupancy {
  /** Unique over all sources, e.g. `exam-sitting-<uuid>`: a calendar's event id, a conflict's reference. */
  id: string;
  /** What it is, for people: "Tentamen Wondzorg — Schriftelijk". */
  title: string;
  date: IsoDate;
  startTime: WallTime;
  endTime: WallTime;
  roomId: string | null;
  teacherIds: readonly string[];
  /** Editions whose calendar shows it. */
  editionIds: readonly string[];
  /** Cancelled ones stay in calendars (STATUS:CANCELLED) but take no time. */
  cancelled: boolean;
  sequence: number;
  updatedAt: Date;
}

/** Which occupancy to give: on dates from … to (inclusive, either open), of a teacher, of an edition. */
export interface OccupancyQuery {
  from?: IsoDate;
  to?: IsoDate;
  teacherId?: string;
  editionId?: string;
}

/** A module that books planning's resources, registered with `OtherOccupancies.register` in its `onModuleInit`. */
export interface OccupancySource {
  name: string;
  occupancy(manager: EntityManager, query: OccupancyQuery): Promise<OtherOccupancy[]>;
}

/** Planning's published extension point: the sources of occupancy besides its own sessions. */
@Injectable()
export class OtherOccupancies {
  private readonly sources: OccupancySource[] = [];

  register(source: OccupancySource): void {
    if (this.sources.some((s) => s.name === source.name)) throw new Error(`Occupancy source ${source.name} is registered twice`);
    this.sources.push(source);
  }

  /** Every source's occupancy for the query, one source after the other (they may share one transaction). */
  async list(manager: EntityManager, query: OccupancyQuery): Promise<OtherOccupancy[]> {
    const all: OtherOccupancy[] = [];
    for (const source of this.sources) all.push(...(await source.occupancy(manager, query)));
    return all;
  }
}

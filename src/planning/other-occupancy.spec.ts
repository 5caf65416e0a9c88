import type { EntityManager } from 'typeorm';
import { OccupancyQuery, OtherOccupancies, OtherOccupancy } from './other-occupancy';

const occupancy = (id: string): OtherOccupancy => ({
  id,
  title: id,
  date: '2030-01-10',
  startTime: '09:00',
  endTime: '10:00',
  roomId: null,
  teacherIds: [],
  editionIds: [],
  cancelled: false,
  sequence: 0,
  updatedAt: new Date(0),
});

describe('OtherOccupancies', () => {
  const manager = {} as EntityManager;

  it('asks every registered source with the query, in the order they registered', async () => {
    const registry = new OtherOccupancies();
    const asked: OccupancyQuery[] = [];
    registry.register({ name: 'a', occupancy: async (_m, query) => (asked.push(query), [occupancy('a-1')]) });
    registry.register({ name: 'b', occupancy: async () => [occupancy('b-1'), occupancy('b-2')] });
    expect((await registry.list(manager, { teacherId: 't1' })).map((o) => o.id)).toEqual(['a-1', 'b-1', 'b-2']);
    expect(asked).toEqual([{ teacherId: 't1' }]);
  });

  it('has nothing without sources, and refuses a source registered twice', async () => {
    const registry = new OtherOccupancies();
    expect(await registry.list(manager, {})).toEqual([]);
    registry.register({ name: 'a', occupancy: async () => [] });
    expect(() => registry.register({ name: 'a', occupancy: async () => [] })).toThrow('registered twice');
  });
});

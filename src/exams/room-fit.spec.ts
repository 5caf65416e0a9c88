import { fitRooms } from './room-fit';

describe('fitRooms', () => {
  it('puts the largest exam first into the smallest room that holds it', () => {
    const result = fitRooms(
      [
        { exam: 0, size: 10 },
        { exam: 1, size: 25 },
        { exam: 2, size: 12 },
      ],
      [
        { id: 'big', capacity: 40 },
        { id: 'small', capacity: 12 },
        { id: 'mid', capacity: 30 },
      ],
    );
    expect([...result.rooms.entries()].sort()).toEqual([
      [0, 'big'],
      [1, 'mid'],
      [2, 'small'],
    ]);
    expect(result.unfitted).toEqual([]);
  });

  it('leaves out an exam that no free room holds', () => {
    const result = fitRooms([{ exam: 0, size: 50 }, { exam: 1, size: 5 }], [{ id: 'r', capacity: 30 }]);
    expect(result.unfitted).toEqual([0]);
    expect(result.rooms.get(1)).toBe('r');
  });
});

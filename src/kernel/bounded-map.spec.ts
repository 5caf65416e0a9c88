import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('holds at most its maximum, dropping the entry set longest ago', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map]).toEqual([['b', 2], ['c', 3]]);
  });

  it('counts an entry set again as set last', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect([...map]).toEqual([['a', 10], ['c', 3]]);
  });
});

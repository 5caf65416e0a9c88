import { generateInstitute } from './generate-institute';

describe('generateInstitute', () => {
  const institute = generateInstitute(11);

  it('is the same for the same seed and different for another', () => {
    const again = generateInstitute(11);
    expect(again.sessions).toEqual(institute.sessions);
    expect(again.teachers).toEqual(institute.teachers);
    expect(generateInstitute(12).sessions).not.toEqual(institute.sessions);
  });

  it('has the benchmark size: 200 editions of 8 meetings, 40 teachers, 15 rooms', () => {
    expect(institute.editions).toHaveLength(200);
    expect(institute.sessions).toHaveLength(1600);
    expect(institute.teachers).toHaveLength(40);
    expect(institute.rooms).toHaveLength(15);
  });

  it('is realistic: 2–6 courses per teacher, every course taught, rooms of 12–40 seats plus one online room, sessions on teaching days', () => {
    for (const t of institute.teachers) {
      expect(t.courseIds.length).toBeGreaterThanOrEqual(2);
      expect(t.courseIds.length).toBeLessThanOrEqual(6);
      expect(t.availability.length).toBeGreaterThan(0);
    }
    const taught = new Set(institute.teachers.flatMap((t) => t.courseIds));
    expect(institute.courses.every((c) => taught.has(c.id))).toBe(true);
    const capacities = institute.rooms.map((r) => r.capacity);
    expect(capacities.filter((c) => c === null)).toHaveLength(1);
    expect(capacities.every((c) => c === null || (c >= 12 && c <= 40))).toBe(true);
    expect(institute.sessions.every((s) => institute.nonTeachingDays.isTeachingDay(s.date) && s.date.startsWith('2027'))).toBe(true);
    expect(institute.sessions.every((s) => s.enrolledCount <= s.editionCapacity!)).toBe(true);
  });
});

import { detectConflicts, validateAvailabilityWindows } from './conflicts';
import { assignSessions } from './assignment';
import { generateInstitute } from './generate-institute';
import { NonTeachingDays } from './holidays';
import { PlannedSession, Room, Teacher } from './model';

const nonTeachingDays = new NonTeachingDays({ liberationDay: 'lustrum' });

const teachers: Teacher[] = [
  {
    id: 'anna',
    name: 'Anna de Vries',
    courseIds: ['wondzorg'],
    disciplines: [],
    availability: [
      { weekday: 2, from: '09:00', to: '12:00' },
      { weekday: 2, from: '12:00', to: '17:00' },
      { weekday: 2, from: '18:00', to: '22:00' },
      { weekday: 4, from: '18:00', to: '22:00' },
    ],
    blocked: [{ from: '2027-03-22', to: '2027-03-26', reason: 'congres' }],
    maxMeetingsPerWeek: 3,
  },
  {
    id: 'bram',
    name: 'Bram Şahin',
    courseIds: [],
    disciplines: ['Management'],
    availability: [{ weekday: 2, from: '18:00', to: '22:00' }],
    blocked: [],
  },
];
const rooms: Room[] = [
  { id: 'u1', name: 'Utrecht 1', capacity: 12, locationId: 'utrecht' },
  { id: 'u2', name: 'Utrecht 2', capacity: 24, locationId: 'utrecht' },
  { id: 'online', name: 'Online', capacity: null, locationId: 'online' },
];

function session(id: string, overrides: Partial<PlannedSession> = {}): PlannedSession {
  return { id, editionId: 'e1', courseId: 'wondzorg', date: '2027-03-09', startTime: '18:00', endTime: '21:00', teacherId: 'anna', roomId: 'u2', enrolledCount: 20, ...overrides };
}

// Tuesday and Thursday evenings for Anna, a Management course on Tuesday for Bram: no rule broken.
const clean: PlannedSession[] = [
  session('s1'),
  session('s2', { date: '2027-03-11' }),
  session('s3', { date: '2027-03-16', startTime: '10:00', endTime: '13:00' }),
  session('s4', { editionId: 'e2', courseId: 'leidinggeven', discipline: 'Management', teacherId: 'bram', roomId: 'u1', enrolledCount: 12 }),
  session('s5', { editionId: 'e3', teacherId: 'bram', courseId: 'teamcoaching', discipline: 'Management', date: '2027-03-16', roomId: 'online', enrolledCount: 80 }),
  session('s6', { date: '2027-03-09', startTime: '21:00', endTime: '22:00', roomId: 'online' }),
  session('s7', { editionId: 'e4', teacherId: null, date: '2027-03-16', roomId: 'online' }),
];

const detect = (sessions: PlannedSession[]) => detectConflicts({ sessions, teachers, rooms, nonTeachingDays });

describe('detectConflicts', () => {
  it('finds nothing in a clean schedule (touching times, adjacent windows and a shared online room are fine)', () => {
    expect(detect(clean)).toEqual([]);
  });

  it('finds a teacher booked twice', () => {
    expect(detect([...clean, session('x', { editionId: 'e9', date: '2027-03-16', startTime: '12:00', endTime: '14:00', roomId: 'online' })])).toEqual([
      {
        kind: 'teacher_double_booked',
        sessionIds: ['s3', 'x'],
        teacherId: 'anna',
        date: '2027-03-16',
        message: 'Anna de Vries is booked twice on 2027-03-16: session s3 (10:00–13:00) and session x (12:00–14:00)',
      },
    ]);
  });

  it('finds a room booked twice', () => {
    expect(detect([...clean, session('x', { teacherId: null, roomId: 'u1', enrolledCount: 5, startTime: '17:00', endTime: '18:30' })])).toEqual([
      expect.objectContaining({ kind: 'room_double_booked', sessionIds: ['x', 's4'], roomId: 'u1', date: '2027-03-09' }),
    ]);
  });

  it('finds a teacher outside the availability windows, blocked, or without expertise', () => {
    const found = detect([
      session('wednesday', { date: '2027-03-10' }),
      session('blocked', { date: '2027-03-23' }),
      session('expertise', { courseId: 'leidinggeven', discipline: 'Management' }),
    ]);
    expect(found.map((c) => [c.kind, c.sessionIds, c.teacherId])).toEqual([
      ['teacher_unavailable', ['wednesday'], 'anna'],
      ['teacher_blocked', ['blocked'], 'anna'],
      ['teacher_lacks_expertise', ['expertise'], 'anna'],
    ]);
    expect(found[0].message).toBe('Anna de Vries is not available on Wednesday 18:00–21:00 (session wednesday on 2027-03-10)');
    expect(found[1].message).toBe('Anna de Vries is blocked on 2027-03-23 (congres) but teaches session blocked');
  });

  it('finds a room too small and a session on a non-teaching day', () => {
    expect(detect([session('full', { roomId: 'u1', enrolledCount: 13 }), session('koningsdag', { date: '2027-04-27' })])).toEqual([
      { kind: 'room_too_small', sessionIds: ['full'], roomId: 'u1', date: '2027-03-09', message: 'room Utrecht 1 has 12 seats, session full has 13 participants' },
      { kind: 'non_teaching_day', sessionIds: ['koningsdag'], date: '2027-04-27', message: 'session koningsdag is planned on 2027-04-27, a non-teaching day (Koningsdag)' },
    ]);
  });

  it('finds a teacher over the weekly maximum', () => {
    expect(detect([...clean, session('third', { date: '2027-03-11', startTime: '21:00', endTime: '22:00', roomId: 'online' })])).toEqual([
      {
        kind: 'teacher_over_weekly_maximum',
        sessionIds: ['s1', 's6', 's2', 'third'],
        teacherId: 'anna',
        date: '2027-03-11',
        message: 'Anna de Vries has 4 sessions in week 2027-W10, more than the maximum of 3',
      },
    ]);
  });

  it('checks the generated institute in well under 100 ms', () => {
    const institute = generateInstitute(7);
    const input = { sessions: institute.sessions, teachers: institute.teachers, rooms: institute.rooms, nonTeachingDays: institute.nonTeachingDays };
    const { assignments } = assignSessions(input);
    const planned = institute.sessions.map((s, i) => ({ ...s, teacherId: assignments[i].teacherId, roomId: assignments[i].roomId }));
    expect(detectConflicts({ ...input, sessions: planned })).toEqual([]);
    // Everyone on one teacher and one room: many clashes, still no quadratic blow-up over all sessions.
    const started = performance.now();
    detectConflicts({ ...input, sessions: planned });
    expect(performance.now() - started).toBeLessThan(100);
    // Everyone on one teacher and one room: thousands of clashes, still no quadratic blow-up over all sessions.
    const crowded = planned.map((s) => ({ ...s, teacherId: 'T01', roomId: 'utrecht-1' }));
    const crowdedStart = performance.now();
    expect(detectConflicts({ ...input, sessions: crowded }).length).toBeGreaterThan(1600);
    expect(performance.now() - crowdedStart).toBeLessThan(1000);
  });
});

describe('validateAvailabilityWindows', () => {
  it('accepts adjacent windows and rejects overlaps, also behind a longer window', () => {
    expect(validateAvailabilityWindows(teachers[0].availability)).toEqual([]);
    expect(
      validateAvailabilityWindows([
        { weekday: 1, from: '09:00', to: '17:00' },
        { weekday: 1, from: '10:00', to: '11:00' },
        { weekday: 1, from: '12:00', to: '13:00' },
        { weekday: 2, from: '12:00', to: '13:00' },
        { weekday: 3, from: '13:00', to: '12:00' },
        { weekday: 8, from: '09:00', to: '10:00' },
      ]),
    ).toEqual([
      { field: 'availability[4]', rule: 'after_start', message: 'window 13:00–12:00 on Wednesday does not end after it starts' },
      { field: 'availability[5]', rule: 'iso_weekday', message: 'weekday must be 1 (Monday) to 7 (Sunday), not 8' },
      { field: 'availability[1]', rule: 'no_overlap', message: 'window 10:00–11:00 overlaps 09:00–17:00 on Monday' },
      { field: 'availability[2]', rule: 'no_overlap', message: 'window 12:00–13:00 overlaps 09:00–17:00 on Monday' },
    ]);
  });
});

describe('other occupancy (busy time, e.g. an exam sitting)', () => {
  const sitting = { id: 'exam-sitting-1', title: 'Tentamen Wondzorg', date: '2027-03-09', startTime: '19:00', endTime: '20:00', roomId: 'u2', teacherIds: ['anna'] };

  it('finds a session overlapping a sitting in its room and for its invigilator', () => {
    const found = detectConflicts({ sessions: [session('s1')], teachers, rooms, nonTeachingDays, busy: [sitting] });
    expect(found.map((c) => [c.kind, c.sessionIds, c.busyIds])).toEqual([
      ['teacher_double_booked', ['s1'], ['exam-sitting-1']],
      ['room_double_booked', ['s1'], ['exam-sitting-1']],
    ]);
    expect(found[0].message).toContain('Tentamen Wondzorg');
  });

  it('lets a session touch a sitting, and leaves clashes between two sittings to their own module', () => {
    const touching = { ...sitting, startTime: '21:00', endTime: '22:00' };
    const otherSitting = { ...sitting, id: 'exam-sitting-2' };
    expect(detectConflicts({ sessions: [session('s1')], teachers, rooms, nonTeachingDays, busy: [touching] })).toEqual([]);
    expect(detectConflicts({ sessions: [], teachers, rooms, nonTeachingDays, busy: [sitting, otherSitting] })).toEqual([]);
  });

  it('does not count an online room as double booked', () => {
    const online = { ...sitting, roomId: 'online', teacherIds: [] };
    expect(detectConflicts({ sessions: [session('s1', { roomId: 'online' })], teachers, rooms, nonTeachingDays, busy: [online] })).toEqual([]);
  });
});

import { assignGreedy, AssignmentInput, assignSessions } from './assignment';
import { detectConflicts } from './conflicts';
import { generateInstitute } from './generate-institute';
import { NonTeachingDays } from './holidays';
import { PlannedSession, Room, Teacher } from './model';

const nonTeachingDays = new NonTeachingDays({ liberationDay: 'lustrum' });
const tuesdayEvening = [{ weekday: 2, from: '18:00', to: '22:00' }];

function teacher(id: string, courseIds: string[], overrides: Partial<Teacher> = {}): Teacher {
  return { id, name: `Docent ${id}`, courseIds, disciplines: [], availability: tuesdayEvening, blocked: [], ...overrides };
}

const rooms: Room[] = [
  { id: 'big', name: 'Groot', capacity: 30, locationId: 'utrecht' },
  { id: 'small', name: 'Klein', capacity: 12, locationId: 'utrecht' },
  { id: 'medium', name: 'Middel', capacity: 20, locationId: 'utrecht' },
];

function session(id: string, overrides: Partial<PlannedSession> = {}): PlannedSession {
  return { id, editionId: 'e1', courseId: 'wondzorg', date: '2027-03-09', startTime: '18:00', endTime: '21:00', enrolledCount: 10, editionCapacity: 15, ...overrides };
}

/** A weekly Tuesday edition of `count` meetings from 2 March 2027. */
function edition(editionId: string, courseId: string, count: number, overrides: Partial<PlannedSession> = {}): PlannedSession[] {
  return Array.from({ length: count }, (_, i) =>
    session(`${editionId}-${i + 1}`, { editionId, courseId, date: `2027-03-${String(2 + 7 * i).padStart(2, '0')}`, ...overrides }),
  );
}

function assign(input: Partial<AssignmentInput> & Pick<AssignmentInput, 'sessions' | 'teachers'>) {
  return assignSessions({ rooms, nonTeachingDays, ...input });
}

describe('assignSessions', () => {
  it('gives the smallest fitting room for the edition capacity and one teacher for a whole edition', () => {
    const result = assign({ sessions: edition('e1', 'wondzorg', 4), teachers: [teacher('a', ['wondzorg']), teacher('b', ['wondzorg'])] });
    expect(result.unplaced).toEqual([]);
    expect(result.placedCount).toBe(4);
    expect(new Set(result.assignments.map((a) => a.teacherId)).size).toBe(1);
    expect(result.assignments.map((a) => a.roomId)).toEqual(['medium', 'medium', 'medium', 'medium']);
  });

  it('spreads editions over teachers instead of loading the first one', () => {
    const sessions = [...edition('e1', 'wondzorg', 2), ...edition('e2', 'wondzorg', 2, { startTime: '19:00', endTime: '20:00' })];
    const result = assign({ sessions, teachers: [teacher('a', ['wondzorg'], { availability: [{ weekday: 2, from: '08:00', to: '23:00' }] }), teacher('b', ['wondzorg'])] });
    expect(result.assignments.map((a) => a.teacherId)).toEqual(['a', 'a', 'b', 'b']);
  });

  it('respects expertise, discipline, availability, blocked dates and the weekly maximum', () => {
    const teachers = [
      teacher('expert', ['wondzorg'], { blocked: [{ from: '2027-03-09', to: '2027-03-09', reason: 'ziek' }], maxMeetingsPerWeek: 1 }),
      teacher('discipline', [], { disciplines: ['Zorg'], availability: [{ weekday: 2, from: '09:00', to: '17:00' }] }),
      teacher('other', ['leidinggeven']),
    ];
    const sessions = [
      session('blocked-day', { courseId: 'wondzorg' }),
      session('daytime', { courseId: 'dementie', discipline: 'Zorg', startTime: '10:00', endTime: '13:00' }),
      session('week-1', { editionId: 'e2', date: '2027-03-16' }),
      session('week-2', { editionId: 'e3', date: '2027-03-16', startTime: '21:00', endTime: '22:00' }),
    ];
    const result = assign({ sessions, teachers });
    expect(result.assignments.map((a) => [a.sessionId, a.teacherId])).toEqual([
      ['blocked-day', null],
      ['daytime', 'discipline'],
      ['week-1', 'expert'],
      ['week-2', null],
    ]);
    expect(result.unplaced).toEqual([
      {
        sessionId: 'blocked-day',
        date: '2027-03-09',
        reasons: ['every teacher with expertise for course wondzorg who is available then is blocked on 2027-03-09 (Docent expert: ziek)'],
      },
      {
        sessionId: 'week-2',
        date: '2027-03-16',
        reasons: ['no teacher with expertise for course wondzorg is free on 2027-03-16 21:00–22:00 (all are booked or at their weekly maximum)'],
      },
    ]);
  });

  it('never double-books a teacher or a room, and respects existing commitments', () => {
    const sessions = [session('s1'), session('s2', { editionId: 'e2' }), session('s3', { editionId: 'e3', editionCapacity: 25 })];
    const result = assign({
      sessions,
      teachers: [teacher('a', ['wondzorg']), teacher('b', ['wondzorg']), teacher('c', ['wondzorg'])],
      commitments: [
        { teacherId: 'c', date: '2027-03-09', startTime: '20:00', endTime: '21:00' },
        { roomId: 'big', date: '2027-03-09', startTime: '17:00', endTime: '18:30' },
      ],
    });
    expect(result.assignments).toEqual([
      { sessionId: 's1', teacherId: 'a', roomId: 'medium' },
      { sessionId: 's2', teacherId: 'b', roomId: null },
      { sessionId: 's3', teacherId: null, roomId: null },
    ]);
    expect(result.unplaced.map((u) => u.reasons)).toEqual([
      ['no room with at least 15 seats is free on 2027-03-09 18:00–21:00'],
      ['no teacher with expertise for course wondzorg is free on 2027-03-09 18:00–21:00 (all are booked or at their weekly maximum)'],
    ]);
  });

  it('keeps existing assignments unless asked to reassign them', () => {
    const sessions = [session('s1', { teacherId: 'b', roomId: 'big' }), session('s2', { editionId: 'e2', roomId: 'small', enrolledCount: 30 })];
    const teachers = [teacher('a', ['wondzorg']), teacher('b', ['wondzorg'])];
    expect(assign({ sessions, teachers }).assignments).toEqual([
      { sessionId: 's1', teacherId: 'b', roomId: 'big' },
      { sessionId: 's2', teacherId: 'a', roomId: 'small' },
    ]);
    expect(assign({ sessions, teachers, reassignExisting: true }).assignments).toEqual([
      { sessionId: 's1', teacherId: 'a', roomId: 'medium' },
      { sessionId: 's2', teacherId: 'b', roomId: 'big' },
    ]);
  });

  it('explains sessions that cannot be placed', () => {
    const sessions = [
      session('no-expert', { courseId: 'fiscaal-recht' }),
      session('no-expert-nor-room', { editionId: 'e4', courseId: 'fiscaal-recht', editionCapacity: 40 }),
      session('wednesday', { date: '2027-03-10' }),
      session('koningsdag', { date: '2027-04-27' }),
      session('too-big', { editionId: 'e2', editionCapacity: 31 }),
      session('online', { editionId: 'e3', locationId: 'online', startTime: '21:00', endTime: '22:00' }),
    ];
    expect(assign({ sessions, teachers: [teacher('a', ['wondzorg'])] }).unplaced).toEqual([
      { sessionId: 'no-expert', date: '2027-03-09', reasons: ['no teacher has expertise for course fiscaal-recht'] },
      { sessionId: 'no-expert-nor-room', date: '2027-03-09', reasons: ['no teacher has expertise for course fiscaal-recht', 'no room has 40 seats'] },
      { sessionId: 'wednesday', date: '2027-03-10', reasons: ['no teacher with expertise for course wondzorg is available on Wednesday 18:00–21:00'] },
      { sessionId: 'koningsdag', date: '2027-04-27', reasons: ['2027-04-27 is a non-teaching day (Koningsdag)'] },
      {
        sessionId: 'too-big',
        date: '2027-03-09',
        reasons: ['no room has 31 seats'],
      },
      { sessionId: 'online', date: '2027-03-09', reasons: ['no room at location online has 15 seats'] },
    ]);
  });

  it('places the scarce course first where the greedy baseline takes its only teacher', () => {
    const sessions = [session('a-course', { courseId: 'wondzorg' }), session('b-course', { editionId: 'e2', courseId: 'mediation' })];
    const teachers = [teacher('both', ['wondzorg', 'mediation']), teacher('one', ['wondzorg'])];
    expect(assignGreedy({ sessions, teachers, rooms, nonTeachingDays }).placedCount).toBe(1);
    expect(assign({ sessions, teachers }).assignments.map((a) => a.teacherId)).toEqual(['one', 'both']);
  });
});

describe('assignment on the generated institute', () => {
  const institute = generateInstitute(2027);
  const input: AssignmentInput = { sessions: institute.sessions, teachers: institute.teachers, rooms: institute.rooms, nonTeachingDays: institute.nonTeachingDays };

  it('places at least as many sessions as the greedy baseline, within every rule, in a few seconds, deterministically', () => {
    const started = performance.now();
    const result = assignSessions(input);
    const seconds = (performance.now() - started) / 1000;
    const greedy = assignGreedy(input);
    expect(seconds).toBeLessThan(3);
    expect(result.placedCount).toBeGreaterThanOrEqual(greedy.placedCount);
    expect(result.placedCount / institute.sessions.length).toBeGreaterThan(0.95);
    const planned = institute.sessions.map((s, i) => ({ ...s, teacherId: result.assignments[i].teacherId, roomId: result.assignments[i].roomId }));
    expect(detectConflicts({ ...input, sessions: planned })).toEqual([]);
    expect(result.unplaced.every((u) => u.reasons.length > 0)).toBe(true);
    expect(assignSessions(input)).toEqual(result);
    process.stdout.write(
      `generated institute: placed ${result.placedCount}/${institute.sessions.length} in ${seconds.toFixed(2)} s; greedy ${greedy.placedCount}\n`,
    );
  });
});

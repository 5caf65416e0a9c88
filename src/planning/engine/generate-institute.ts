import { ClosingDays, NonTeachingDays } from './holidays';
import type { MeetingPattern } from '../../catalogue/meeting-pattern';
import { generateMeetings } from './meeting-pattern';
import { AvailabilityWindow, BlockedPeriod, PlannedSession, Room, Teacher } from './model';
import { addDays, isoWeekday } from '../../kernel/time';

export interface GeneratedCourse {
  id: string;
  title: string;
  discipline: string;
}

export interface GeneratedEdition {
  id: string;
  courseId: string;
  capacity: number;
  locationId: string;
  pattern: MeetingPattern;
}

export interface GeneratedInstitute {
  courses: GeneratedCourse[];
  editions: GeneratedEdition[];
  sessions: PlannedSession[];
  teachers: Teacher[];
  rooms: Room[];
  closingDays: ClosingDays[];
  nonTeachingDays: NonTeachingDays;
}

export interface InstituteSize {
  editions: number;
  meetingsPerEdition: number;
  teachers: number;
}

/** Small, fast, seedable generator (mulberry32); Math.random cannot be seeded. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATALOGUE: Record<string, string[]> = {
  Zorg: ['Wondzorg', 'Palliatieve zorg', 'Dementiezorg', 'Medicatieveiligheid', 'Praktijkopleider zorg'],
  Onderwijs: ['Coachen van leerlingen', 'Passend onderwijs', 'Didactiek in het mbo', 'Toetsdeskundige', 'Taalcoördinator'],
  'Sociaal werk': ['Schuldhulpverlening', 'Huiselijk geweld', 'Mediation', 'Jeugdzorg', 'Motiverende gespreksvoering'],
  Management: ['Leidinggeven', 'Projectmanagement', 'Verandermanagement', 'Kwaliteitszorg', 'Teamcoaching'],
  ICT: ['Informatiebeveiliging', 'Privacy en AVG', 'Data-analyse', 'Agile werken', 'Procesautomatisering'],
  Financiën: ['Bedrijfsadministratie', 'Fiscaal recht', 'Controlling', 'Salarisadministratie', 'Financieel management'],
};

const TIME_SLOTS = [
  { startTime: '09:30', endTime: '12:30' },
  { startTime: '13:30', endTime: '16:30' },
  { startTime: '18:30', endTime: '21:30' },
];

const DAYTIME = { from: '09:00', to: '17:00' };
const EVENING = { from: '18:00', to: '22:00' };

/**
 * A realistic institute for one year: courses in disciplines, editions of eight weekly or
 * fortnightly meetings on the Dutch calendar, teachers with a few courses of expertise and
 * mostly weekday daytime or evening availability, rooms at two locations plus an online room.
 * The same seed gives the same institute.
 */
export function generateInstitute(seed: number, year = 2027, size: InstituteSize = { editions: 200, meetingsPerEdition: 8, teachers: 40 }): GeneratedInstitute {
  const random = seededRandom(seed);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  const courses: GeneratedCourse[] = Object.entries(CATALOGUE)
    .flatMap(([discipline, titles]) => titles.map((title) => ({ title, discipline })))
    .map((course, i) => ({ id: `C${String(i + 1).padStart(2, '0')}`, ...course }));

  const rooms: Room[] = [];
  for (const [locationId, capacities] of [['utrecht', [12, 14, 16, 20, 24, 30, 40]], ['zwolle', [12, 16, 16, 20, 24, 30, 40]]] as const) {
    capacities.forEach((capacity, i) => rooms.push({ id: `${locationId}-${i + 1}`, name: `${locationId[0].toUpperCase()}${locationId.slice(1)} lokaal ${i + 1}`, capacity, locationId }));
  }
  rooms.push({ id: 'online', name: 'Online (Teams)', capacity: null, locationId: 'online' });

  const closingDays: ClosingDays[] = [
    { from: `${year}-07-19`, to: `${year}-08-15`, reason: 'Zomersluiting' },
    { from: `${year}-12-24`, to: `${year + 1}-01-01`, reason: 'Kerstreces' },
  ];
  const nonTeachingDays = new NonTeachingDays({ liberationDay: 'lustrum', closingDays });

  const teachers: Teacher[] = [];
  for (let i = 0; i < size.teachers; i++) {
    // Every course gets a teacher from the first round, so that no course is left without one.
    const own = new Set([courses[i % courses.length].id]);
    const home = courses[i % courses.length].discipline;
    const wanted = between(2, 6);
    while (own.size < wanted) {
      const sameDiscipline = random() < 0.7;
      own.add(pick(courses.filter((c) => !sameDiscipline || c.discipline === home)).id);
    }
    const availability: AvailabilityWindow[] = [];
    for (let weekday = 1; weekday <= 5; weekday++) {
      if (random() < 0.25) continue;
      const shape = random();
      if (shape < 0.45) availability.push({ weekday, ...DAYTIME });
      else if (shape < 0.75) availability.push({ weekday, ...EVENING });
      else availability.push({ weekday, ...DAYTIME }, { weekday, ...EVENING });
    }
    if (random() < 0.1) availability.push({ weekday: 6, from: '09:00', to: '13:00' });
    if (availability.length === 0) availability.push({ weekday: 1, ...DAYTIME });
    const blocked: BlockedPeriod[] = [];
    for (let n = between(0, 2); n > 0; n--) {
      const monday = addDays(`${year}-01-04`, 7 * between(0, 49));
      blocked.push({ from: monday, to: addDays(monday, 6), reason: pick(['vakantie', 'congres', 'verlof']) });
    }
    teachers.push({
      id: `T${String(i + 1).padStart(2, '0')}`,
      name: `Docent ${i + 1}`,
      courseIds: [...own].sort(),
      disciplines: random() < 0.1 ? [home] : [],
      availability,
      blocked,
      maxMeetingsPerWeek: between(3, 6),
    });
  }

  const editions: GeneratedEdition[] = [];
  const sessions: PlannedSession[] = [];
  for (let e = 0; e < size.editions; e++) {
    const course = pick(courses);
    const locationId = random() < 0.2 ? 'online' : pick(['utrecht', 'zwolle']);
    const capacity = between(12, locationId === 'online' ? 40 : 30);
    // Planners schedule an edition when at least one teacher of the course can teach it.
    const window = pick(pick(teachers.filter((t) => t.courseIds.includes(course.id) || t.disciplines.includes(course.discipline))).availability);
    const weekday = window.weekday;
    const firstDay = addDays(`${year}-01-04`, between(0, 260));
    const pattern: MeetingPattern = {
      startDate: addDays(firstDay, (weekday - isoWeekday(firstDay) + 7) % 7),
      weekdays: [weekday],
      ...pick(TIME_SLOTS.filter((slot) => window.from <= slot.startTime && slot.endTime <= window.to)),
      count: size.meetingsPerEdition,
      intervalWeeks: random() < 0.7 ? 1 : 2,
    };
    const id = `E${String(e + 1).padStart(3, '0')}`;
    editions.push({ id, courseId: course.id, capacity, locationId, pattern });
    const enrolledCount = between(Math.min(8, capacity), capacity);
    for (const meeting of generateMeetings(pattern, nonTeachingDays).meetings) {
      sessions.push({
        id: `${id}-${meeting.number}`,
        editionId: id,
        courseId: course.id,
        discipline: course.discipline,
        date: meeting.date,
        startTime: meeting.startTime,
        endTime: meeting.endTime,
        enrolledCount,
        editionCapacity: capacity,
        locationId,
      });
    }
  }
  return { courses, editions, sessions, teachers, rooms, closingDays, nonTeachingDays };
}

import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { Course, DefaultMeetingPattern } from '../catalogue/course.entity';
import { PriorEducationLevel } from '../catalogue/course-attributes';
import { Edition } from '../planning/edition.entity';
import { NonTeachingDays } from '../planning/engine/holidays';
import { generateMeetings } from '../planning/engine/meeting-pattern';
import { addDays, INSTITUTE_ZONE } from '../kernel/time';
import { DateTime } from 'luxon';
import { Location } from '../planning/location.entity';
import { Room } from '../planning/room.entity';
import { Session } from '../planning/session.entity';
import { Teacher } from '../planning/teacher.entity';
import type { DemoCredential } from './demo-accounts';

const TUESDAY_DAY: DefaultMeetingPattern = { weekdays: [2], startTime: '09:30', endTime: '16:30', count: 8, intervalWeeks: 2 };
const THURSDAY_EVENING: DefaultMeetingPattern = { weekdays: [4], startTime: '18:30', endTime: '21:30', count: 10, intervalWeeks: 1 };
const MONDAY_DAY: DefaultMeetingPattern = { weekdays: [1], startTime: '09:30', endTime: '16:30', count: 6, intervalWeeks: 1 };

/** Courses that ask other than a hbo bachelor: mediation a university one, the praktijkopleider hbo working level shown in an intake. */
const MINIMUM_PRIOR_EDUCATION: Record<string, PriorEducationLevel> = { RMED: 'wo_bachelor', PRZ: 'hbo_level_intake' };

/** Ten believable post-hbo courses: code, Dutch title, discipline, keywords, hours, ECTS, tuition, register, pattern. */
const COURSES: Array<[string, string, string, string, string[], number, number, number, string, DefaultMeetingPattern]> = [
  ['PCZ', 'Post-hbo Coaching in de zorg', 'Post-bachelor Coaching in Healthcare', 'Zorg', ['coaching', 'intervisie', 'verpleegkunde'], 120, 4, 249_500, 'V&VN Kwaliteitsregister', TUESDAY_DAY],
  ['RMED', 'Register Mediator', 'Registered Mediator', 'Sociaal werk', ['mediation', 'conflicthantering', 'MfN'], 168, 6, 395_000, 'MfN-register', THURSDAY_EVENING],
  ['WFT-AF', 'Financieel Adviseur (Wft)', 'Financial Adviser (Wft)', 'Financiën', ['Wft', 'pensioen', 'hypotheek'], 140, 5, 289_000, 'CDFD', THURSDAY_EVENING],
  ['PALZ', 'Post-hbo Palliatieve zorg', 'Post-bachelor Palliative Care', 'Zorg', ['palliatief', 'levenseinde', 'pijnbestrijding', 'hospice', 'sterven', 'terminale zorg'], 112, 4, 219_500, 'V&VN Kwaliteitsregister', TUESDAY_DAY],
  ['PRZ', 'Post-hbo Praktijkopleider in de zorg', 'Post-bachelor Clinical Educator', 'Zorg', ['werkbegeleiding', 'opleiden', 'beoordelen'], 100, 3.5, 199_000, 'Registerplein', MONDAY_DAY],
  ['SHV', 'Post-hbo Schuldhulpverlening', 'Post-bachelor Debt Counselling', 'Sociaal werk', ['schulden', 'Wgs', 'armoede'], 96, 3, 185_000, 'Registerplein', MONDAY_DAY],
  ['LGV', 'Leidinggeven aan professionals', 'Leading Professionals', 'Management', ['leiderschap', 'teamontwikkeling', 'feedback'], 150, 5, 325_000, 'NIP', TUESDAY_DAY],
  ['AVG', 'Functionaris Gegevensbescherming (AVG)', 'Data Protection Officer (GDPR)', 'ICT', ['privacy', 'AVG', 'DPIA'], 120, 4, 345_000, 'NGFG', THURSDAY_EVENING],
  ['PDO', 'Passend onderwijs en gedrag', 'Inclusive Education and Behaviour', 'Onderwijs', ['gedrag', 'zorgleerling', 'handelingsgericht'], 112, 4, 199_500, 'Registerleraar', MONDAY_DAY],
  ['MGV', 'Motiverende gespreksvoering', 'Motivational Interviewing', 'Sociaal werk', ['MI', 'gedragsverandering', 'gespreksvaardigheden'], 56, 2, 129_500, 'SKJ', THURSDAY_EVENING],
];

/** What each course is about, in Dutch and English: the words an advisor's intake is matched against. */
const DESCRIPTIONS: Record<string, [nl: string, en: string]> = {
  PCZ: [
    'Voor verpleegkundigen en andere zorgprofessionals die collega\'s, leerlingen en teams willen coachen. U leert coachingsgesprekken voeren, intervisie begeleiden en reflectie op de werkvloer stimuleren, met oefeningen uit uw eigen praktijk.',
    'For nurses and other healthcare professionals who want to coach colleagues, students and teams. You learn to hold coaching conversations, facilitate peer review and encourage reflection on the ward, practising on cases from your own work.',
  ],
  RMED: [
    'Opleiding tot mediator volgens de eisen van het MfN-register. U leert bemiddelen bij conflicten tussen partijen in arbeid, familie en buurt, onderhandelen, de-escaleren en een vaststellingsovereenkomst opstellen.',
    'Training as a mediator meeting the requirements of the MfN register. You learn to mediate conflicts and disputes between parties at work, in families and neighbourhoods, to negotiate, de-escalate and draw up a settlement agreement.',
  ],
  'WFT-AF': [
    'Voorbereiding op de Wft-examens voor financieel adviseurs: pensioen, hypotheek, vermogen en consumptief krediet. Met wet- en regelgeving, zorgplicht en klantgesprekken over financiële planning.',
    'Preparation for the Dutch Wft exams for financial advisers: pensions, mortgages, investments and consumer credit. Covers legislation, duty of care and client conversations about financial planning.',
  ],
  PALZ: [
    'Verdieping in palliatieve zorg voor verpleegkundigen: symptoombestrijding, pijnbestrijding, zorg in de laatste levensfase, gesprekken over het levenseinde en ondersteuning van naasten bij rouw.',
    'In-depth palliative care for nurses: symptom management, pain relief, care in the last phase of life, conversations about the end of life and support for relatives in grief.',
  ],
  PRZ: [
    'Voor wie in de zorg stagiairs, leerlingen en nieuwe collega\'s opleidt. U leert werkbegeleiding geven, leerdoelen opstellen, feedback geven, beoordelen en een leerklimaat op de afdeling bouwen.',
    'For those in healthcare who train students, trainees and new colleagues. You learn to supervise at work, set learning goals, give feedback, assess and build a learning climate on the ward.',
  ],
  SHV: [
    'Schuldhulpverlening volgens de Wet gemeentelijke schuldhulpverlening: schulden in kaart brengen, budgetbeheer, minnelijke schuldregeling, Wsnp en het gesprek met mensen in armoede en geldzorgen.',
    'Debt counselling under the Dutch municipal debt relief act: mapping debts, budget management, amicable debt settlement, statutory debt rescheduling and supporting people in poverty and financial stress.',
  ],
  LGV: [
    'Leiderschap voor nieuwe en ervaren leidinggevenden van professionals: teamontwikkeling, sturen op resultaat, feedback en lastige gesprekken, verandermanagement en uw eigen stijl van leidinggeven.',
    'Leadership for new and experienced managers of professionals: team development, managing for results, feedback and difficult conversations, change management and your own leadership style.',
  ],
  AVG: [
    'Opleiding tot functionaris gegevensbescherming (FG): de AVG en de Uitvoeringswet, privacy by design, DPIA\'s, verwerkersovereenkomsten, datalekken en toezicht door de Autoriteit Persoonsgegevens.',
    'Training as a data protection officer (DPO): the GDPR and Dutch implementing act, privacy by design, DPIAs, processing agreements, data breaches and supervision by the Dutch Data Protection Authority.',
  ],
  PDO: [
    'Voor leraren en intern begeleiders: passend onderwijs, gedragsproblemen in de klas, handelingsgericht werken, ondersteuningsplannen en samenwerken met ouders en zorgpartners rond de zorgleerling.',
    'For teachers and special needs coordinators: inclusive education, behaviour problems in the classroom, needs-based working, support plans and working with parents and care partners around pupils who need extra support.',
  ],
  MGV: [
    'Motiverende gespreksvoering (MI) voor hulpverleners, jeugdprofessionals en coaches: cliënten helpen hun gedrag te veranderen, weerstand hanteren, verandertaal ontlokken en gespreksvaardigheden oefenen met acteurs.',
    'Motivational interviewing (MI) for social workers, youth professionals and coaches: helping clients change their behaviour, handling resistance, evoking change talk and practising conversation skills with actors.',
  ],
};

/** Teachers with names from many countries: name, email, disciplines, course codes. */
const TEACHERS: Array<[string, string, string[], string[]]> = [
  ['Ingrid van den Berg-Ødegaard', 'i.vandenberg@docent.amstelacademie.example', ['Zorg'], []],
  ['Nguyễn Thị Minh Khai', 'm.nguyen@docent.amstelacademie.example', [], ['PALZ', 'PRZ', 'PCZ']],
  ['Kwame Mensah', 'k.mensah@docent.amstelacademie.example', ['Sociaal werk'], []],
  ['Zoë Şahin-Łukasiewicz', 'z.sahin@docent.amstelacademie.example', [], ['RMED', 'MGV', 'LGV']],
  ['Rajesh Iyer', 'r.iyer@docent.amstelacademie.example', ['Financiën', 'ICT'], []],
  ['María José Fernández', 'm.fernandez@docent.amstelacademie.example', ['Onderwijs'], ['MGV']],
  ['Søren Kjærgaard', 's.kjaergaard@docent.amstelacademie.example', ['Management'], ['AVG']],
  ['Aylin Yıldız', 'a.yildiz@docent.amstelacademie.example', [], ['SHV', 'PDO', 'PRZ']],
];

const DAYTIME = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '17:00' }));
const EVENINGS = [1, 2, 3, 4].map((weekday) => ({ weekday, from: '18:00', to: '22:00' }));

/**
 * The demo catalogue and its 2027 planning: courses, teachers, two locations with rooms (plus
 * the online location every institute has), editions with their sessions, a teacher account.
 */
export async function seedDemoCatalogue(db: DataSource, users: UsersService): Promise<DemoCredential[]> {
  // The plan was drawn up for 2027; it moves by whole weeks so that the first edition starts ten
  // weeks after the first boot, keeping weekdays and the editions' relations to each other.
  const shift = weeksUntilDemoStart(DateTime.now().setZone(INSTITUTE_ZONE).toISODate()!);
  const courses = new Map<string, Course>();
  for (const [code, titleNl, titleEn, discipline, keywords, hours, ects, tuition, register, pattern] of COURSES) {
    const course = await db.getRepository(Course).save({
      code,
      titleNl,
      titleEn,
      descriptionNl: DESCRIPTIONS[code][0],
      descriptionEn: DESCRIPTIONS[code][1],
      discipline,
      keywords,
      studyLoadHours: hours,
      ects,
      pePoints: [{ register, points: Math.round(hours / 3) }],
      tuitionCents: tuition,
      tuitionVat: 'exempt',
      otherFees: [
        { kind: 'materials', description: 'Lesmateriaal en reader', amountCents: 8_950, vat: 'rate_9' },
        { kind: 'exam', description: 'Examengeld', amountCents: 12_500, vat: 'exempt' },
      ],
      minimumPriorEducation: MINIMUM_PRIOR_EDUCATION[code] ?? 'hbo_bachelor',
      prerequisiteCourseIds: [],
      deliveryMode: code === 'AVG' ? 'blended' : 'on_site',
      defaultPattern: pattern,
      minParticipants: 8,
      maxParticipants: 16,
      retiredAt: null,
      examComponents: [
        { position: 1, name: 'Kennistoets', weight: 40, passMark: 5.5, maxAttempts: 2 },
        { position: 2, name: 'Praktijkopdracht', weight: 60, passMark: 5.5, maxAttempts: 2 },
      ],
    });
    courses.set(code, course);
  }

  const teachers: Teacher[] = [];
  for (const [index, [name, email, disciplines, codes]] of TEACHERS.entries()) {
    teachers.push(
      await db.getRepository(Teacher).save({
        name,
        email,
        phone: '',
        locale: index === 3 ? 'en' : 'nl',
        disciplines,
        courseIds: codes.map((code) => courses.get(code)!.id),
        availability: index % 2 === 0 ? [...DAYTIME, ...EVENINGS] : DAYTIME.slice(0, 3).concat(EVENINGS.slice(2)),
        blockedPeriods: index === 1 ? [{ from: addDays('2027-07-26', shift * 7), to: addDays('2027-08-13', shift * 7), reason: 'vakantie' }] : [],
        maxMeetingsPerWeek: 4,
        active: true,
      }),
    );
  }

  const amsterdam = await db.getRepository(Location).save({ name: 'Amsterdam Wibautstraat', online: false, street: 'Wibautstraat 150', postcode: '1091 GR', city: 'Amsterdam' });
  const utrecht = await db.getRepository(Location).save({ name: 'Utrecht Jaarbeurs', online: false, street: 'Jaarbeursplein 6', postcode: '3521 AL', city: 'Utrecht' });
  const rooms = await db.getRepository(Room).save([
    { locationId: amsterdam.id, name: 'Zaal Noord', capacity: 24, facilities: ['beamer', 'whiteboard'], active: true },
    { locationId: amsterdam.id, name: 'Lokaal 2.14', capacity: 16, facilities: ['beamer'], active: true },
    { locationId: utrecht.id, name: 'Lokaal 3.02', capacity: 18, facilities: ['beamer', 'rolstoeltoegankelijk'], active: true },
    { locationId: utrecht.id, name: 'Spreekkamer', capacity: 8, facilities: ['whiteboard'], active: true },
  ]);

  const calendar = new NonTeachingDays({ liberationDay: 'lustrum' });
  // The plan as it was drawn up for 2027, moved by `shift` whole weeks (see above).
  const plans: Array<[string, string, number, number, string]> = (
    [
      ['PCZ', '2027-02-02', 0, 1, 'Amsterdam'],
      ['RMED', '2027-03-04', 3, 0, 'Amsterdam'],
      ['WFT-AF', '2027-09-02', 4, 2, 'Utrecht'],
      ['PALZ', '2027-03-09', 1, 2, 'Utrecht'],
      ['PRZ', '2027-04-05', 7, 1, 'Amsterdam'],
      ['SHV', '2027-09-06', 2, 2, 'Utrecht'],
      ['LGV', '2027-09-14', 6, 0, 'Amsterdam'],
      ['AVG', '2027-10-07', 6, 0, 'Amsterdam'],
      ['PDO', '2027-10-04', 5, 1, 'Amsterdam'],
      ['MGV', '2027-11-11', 3, 2, 'Utrecht'],
    ] as const
  ).map(([code, drawn, teacher, room, city]) => {
    const startDate = addDays(drawn, shift * 7);
    const [year, month] = startDate.split('-').map(Number);
    return [code, startDate, teacher, room, `${month <= 6 ? 'voorjaar' : 'najaar'} ${year}, ${city}`];
  });
  for (const [code, startDate, teacherIndex, roomIndex, titleSuffix] of plans) {
    const course = courses.get(code)!;
    const pattern = { ...course.defaultPattern!, startDate };
    const room = rooms[roomIndex];
    const edition = await db.getRepository(Edition).save({
      code: `${code}-${startDate.slice(0, 4)}-01`,
      courseId: course.id,
      titleSuffix,
      startDate,
      weekdays: pattern.weekdays,
      startTime: pattern.startTime,
      endTime: pattern.endTime,
      meetingCount: pattern.count,
      intervalWeeks: pattern.intervalWeeks,
      locationId: room.locationId,
      capacity: Math.min(course.maxParticipants, room.capacity!),
      minParticipants: course.minParticipants,
      // As the institute works: decide three weeks ahead, take enrolments until two weeks ahead.
      enrolmentDeadline: addDays(startDate, -14),
      goNoGoDate: addDays(startDate, -21),
      priceOverrideCents: null,
      status: 'open',
      statusChangedAt: new Date(),
      cancellationReason: null,
      goNoGoProposedAt: null,
    });
    const meetings = generateMeetings(pattern, calendar).meetings;
    await db.getRepository(Session).save(
      meetings.map((m) => ({ editionId: edition.id, date: m.date, startTime: m.startTime, endTime: m.endTime, teacherId: teachers[teacherIndex].id, roomId: room.id, status: 'planned' as const, sequence: 0 })),
    );
  }

  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const email = 'docent@amstelacademie.example';
  await users.create({ email, displayName: teachers[0].name, password, roles: ['teacher'], teacherId: teachers[0].id });
  return [{ role: 'teacher', email, password }];
}

/** Whole weeks from the drawn plan's first start (Tuesday 2 February 2027) to the first Tuesday at least ten weeks after `today`. */
export function weeksUntilDemoStart(today: string): number {
  const drawnStart = DateTime.fromISO('2027-02-02');
  const earliest = DateTime.fromISO(today).plus({ weeks: 10 });
  return Math.ceil(earliest.diff(drawnStart, 'weeks').weeks) || 0; // never -0
}

import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../src/catalogue/catalogue.service';
import { AssignmentService } from '../src/planning/assignment.service';
import { EditionsService } from '../src/planning/editions.service';
import { assignGreedy } from '../src/planning/engine/assignment';
import { generateInstitute } from '../src/planning/engine/generate-institute';
import { ClosingDay } from '../src/planning/closing-day.entity';
import { Location } from '../src/planning/location.entity';
import { PlanningBoardService } from '../src/planning/planning-board.service';
import { Room } from '../src/planning/room.entity';
import { Teacher } from '../src/planning/teacher.entity';
import { startBenchApp } from './bench-app';
import { report } from './harness';

const SEED = 2027;

/**
 * The generated institute (200 editions × 8 meetings, 40 teachers, 15 rooms, 2027) loaded
 * into a scratch database; then, as a planner would wait for them: generating every edition's
 * sessions through the editions service, the automatic assignment job's work through its
 * service (against a plain greedy first-fit on the same data), and listing the year's
 * conflicts over HTTP.
 */
export async function planningBenchmark(): Promise<void> {
  const bench = await startBenchApp();
  try {
    const institute = generateInstitute(SEED);
    const app = bench.app;
    const db = app.get(DataSource);

    const courseIds = new Map<string, string>();
    for (const course of institute.courses) {
      const created = await app.get(CatalogueService).create({
        code: `GEN-${course.id}`,
        titleNl: course.title,
        discipline: course.discipline,
        studyLoadHours: 84,
        ects: 3,
        tuitionCents: 189_500,
        tuitionVat: 'exempt',
        minimumPriorEducation: 'hbo_bachelor',
        deliveryMode: 'on_site',
        minParticipants: 8,
        maxParticipants: 40,
      });
      courseIds.set(course.id, created.id);
    }
    const online = await db.getRepository(Location).findOneByOrFail({ online: true });
    const locationIds = new Map<string, string>([['online', online.id]]);
    const roomIds = new Map<string, string>();
    for (const room of institute.rooms) {
      if (room.capacity === null) {
        roomIds.set(room.id, (await db.getRepository(Room).findOneByOrFail({ locationId: online.id })).id);
        continue;
      }
      if (!locationIds.has(room.locationId)) {
        const location = await db.getRepository(Location).save({ name: room.locationId, online: false, street: '', postcode: '', city: room.locationId });
        locationIds.set(room.locationId, location.id);
      }
      const saved = await db.getRepository(Room).save({ locationId: locationIds.get(room.locationId)!, name: room.name, capacity: room.capacity, facilities: [], active: true });
      roomIds.set(room.id, saved.id);
    }
    for (const teacher of institute.teachers) {
      await db.getRepository(Teacher).save({
        name: teacher.name,
        email: `${teacher.id.toLowerCase()}@bench.registrar.nl`,
        phone: '',
        locale: 'nl',
        disciplines: [...teacher.disciplines],
        courseIds: teacher.courseIds.map((id) => courseIds.get(id)!),
        availability: [...teacher.availability],
        blockedPeriods: [...teacher.blocked],
        maxMeetingsPerWeek: teacher.maxMeetingsPerWeek ?? null,
        active: true,
      });
    }
    for (const closing of institute.closingDays) {
      await db.getRepository(ClosingDay).save({ fromDate: closing.from, toDate: closing.to, reason: closing.reason });
    }

    const editions = app.get(EditionsService);
    const generateStart = performance.now();
    const editionIds: string[] = [];
    for (const edition of institute.editions) {
      const { startDate, ...pattern } = edition.pattern;
      const created = await editions.create({
        courseId: courseIds.get(edition.courseId)!,
        startDate,
        pattern: { ...pattern, weekdays: [...pattern.weekdays] },
        locationId: locationIds.get(edition.locationId)!,
        capacity: edition.capacity,
        minParticipants: 8,
      });
      editionIds.push(created.edition.id);
    }
    const generateSeconds = (performance.now() - generateStart) / 1000;

    const assignment = app.get(AssignmentService);
    const assignStart = performance.now();
    const proposal = await assignment.propose({ id: 'bench', data: { editionIds }, progress: async () => undefined });
    const assignSeconds = (performance.now() - assignStart) / 1000;

    // The greedy baseline on exactly the data the service planned with.
    const board = app.get(PlanningBoardService);
    const sessions = await board.editionSessions(db.manager, editionIds);
    const resources = await board.resources(db.manager);
    const greedyStart = performance.now();
    const greedy = assignGreedy({ sessions, ...resources });
    const greedySeconds = (performance.now() - greedyStart) / 1000;

    // Applied in bulk: applying is not one of the measured steps, the conflict list after it is.
    await db.transaction(async (manager) => {
      for (const change of proposal.changes) {
        await manager.query(`UPDATE session SET teacher_id = $2, room_id = $3, version = version + 1 WHERE id = $1`, [change.sessionId, change.teacherId, change.roomId]);
      }
    });
    const token = await bench.signIn(['planner']);
    const conflictsStart = performance.now();
    const response = await fetch(`${bench.baseUrl}/planning/conflicts?from=2027-01-01&to=2027-12-31`, { headers: { authorization: `Bearer ${token}` } });
    const conflicts = (await response.json()) as unknown[];
    const conflictsSeconds = (performance.now() - conflictsStart) / 1000;
    if (response.status !== 200) throw new Error(`GET /planning/conflicts answered ${response.status}`);

    report('planning', 'placed', proposal.placedCount / proposal.sessionCount, 'share', greedy.placedCount / sessions.length);
    report('planning', 'assign_seconds', assignSeconds, 's', greedySeconds);
    report('planning', 'generate_seconds', generateSeconds, 's');
    report('planning', 'conflicts_seconds', conflictsSeconds, 's');
    report('planning', 'sessions', proposal.sessionCount, 'count');
    report('planning', 'unplaced', proposal.unplaced.length, 'count', sessions.length - greedy.placedCount);
    report('planning', 'conflicts_after_assignment', conflicts.length, 'count');
  } finally {
    await bench.close();
  }
}

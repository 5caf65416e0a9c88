import { randomUUID } from 'node:crypto';
import { courseInput } from '../factories';
import { bearer, TestApp } from '../test-app';

export interface PlanningFixture {
  courseId: string;
  discipline: string;
  locationId: string;
  roomId: string;
  teacherId: string;
  teacherEmail: string;
}

type Body = Record<string, unknown>;

/** Creates through the API what an edition needs: a course, a location with a room of `seats`, and a teacher. */
export async function planningFixture(t: TestApp, planner: string, options: { seats?: number; teacher?: Body; course?: Body } = {}): Promise<PlanningFixture> {
  const discipline = `Discipline ${randomUUID().slice(0, 8)}`;
  const course = await t.http.post('/courses').set(bearer(planner)).send(courseInput({ discipline, ...options.course })).expect(201);
  const location = await t.http
    .post('/locations')
    .set(bearer(planner))
    .send({ name: `Locatie ${randomUUID().slice(0, 8)}`, street: 'Jaarbeursplein 6', postcode: '3521 AL', city: 'Utrecht' })
    .expect(201);
  const room = await t.http.post(`/locations/${location.body.id}/rooms`).set(bearer(planner)).send({ name: 'Lokaal 2.14', capacity: options.seats ?? 20, facilities: ['beamer'] }).expect(201);
  const teacher = await createTeacher(t, planner, { courseIds: [course.body.id], ...options.teacher });
  return { courseId: course.body.id, discipline, locationId: location.body.id, roomId: room.body.id, teacherId: teacher.id, teacherEmail: teacher.email };
}

const EVERY_WEEKDAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '08:00', to: '22:00' }));

export async function createTeacher(t: TestApp, planner: string, overrides: Body = {}): Promise<{ id: string; email: string }> {
  const email = `docent-${randomUUID()}@test.registrar.nl`;
  const response = await t.http
    .post('/teachers')
    .set(bearer(planner))
    .send({ name: 'Ingrid van den Berg-Ødegaard', email, availability: EVERY_WEEKDAY, ...overrides })
    .expect(201);
  return { id: response.body.id, email };
}

/** A weekly pattern: `count` meetings on `weekdays` from 09:30 to 16:30. */
export const weekly = (weekdays: number[], count: number, times: Body = {}) => ({ weekdays, startTime: '09:30', endTime: '16:30', count, intervalWeeks: 1, ...times });

export function createEdition(t: TestApp, planner: string, fixture: PlanningFixture, body: Body) {
  return t.http
    .post('/editions')
    .set(bearer(planner))
    .send({ courseId: fixture.courseId, locationId: fixture.locationId, capacity: 12, minParticipants: 4, ...body });
}

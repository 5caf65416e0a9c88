import type { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { CatalogueService } from '../catalogue/catalogue.service';
import { ExamRegistrationsService } from '../exams/exam-registrations.service';
import { ExamResultsService } from '../exams/exam-results.service';
import { ExamSittingsService } from '../exams/exam-sittings.service';
import type { ExamSitting } from '../exams/exam-sitting.entity';
import type { Actor } from '../kernel/request-context';
import { RequestContext } from '../kernel/request-context';
import { Edition } from '../planning/edition.entity';
import { addDays, todayInAmsterdam } from '../kernel/time';
import { Room } from '../planning/room.entity';
import { Student } from '../enrolment/student.entity';
import { DEMO_STAFF } from './demo-institute';

const byEmail = (db: DataSource, email: string) => db.getRepository(Student).findOneByOrFail({ email });

/**
 * Exam sittings in every state, made through the exam services as the planner and the
 * coordinator would: two held sittings of "Passend onderwijs" with published results (one
 * student passes the course and is completed, one fails the knowledge test and is registered
 * for the resit, with its fee); a held sitting of "Coaching in de zorg" whose results are not
 * yet published, with a special arrangement; an open, a closed, a planned and a cancelled one.
 */
export async function seedDemoExams(db: DataSource, users: UsersService, modules: ModuleRef): Promise<void> {
  const get = <T>(type: new (...args: never[]) => T) => modules.get(type, { strict: false });
  const [catalogue, sittings, registrations, results] = [get(CatalogueService), get(ExamSittingsService), get(ExamRegistrationsService), get(ExamResultsService)];
  const actorOf = async (role: string): Promise<Actor> => {
    const user = (await users.findByEmail(DEMO_STAFF.find((staff) => staff.role === role)!.email))!;
    return { id: user.id, email: user.email, roles: user.roles };
  };
  const [planner, coordinator] = [await actorOf('planner'), await actorOf('coordinator')];
  const editions = new Map((await db.getRepository(Edition).find()).map((edition) => [edition.code.replace(/-\d{4}-\d{2}$/, ''), edition]));
  const rooms = new Map((await db.getRepository(Room).find()).map((room) => [room.name, room]));
  // The teacher with the demo login invigilates, so that the invigilator's list can be tried.
  const invigilator = { id: (await users.findByEmail('docent@amstelacademie.example'))!.teacherId! };
  const components = async (code: string) => (await catalogue.get(editions.get(code)!.courseId)).examComponents;
  const today = todayInAmsterdam();

  const plan = (code: string, component: number, date: string, startTime: string, room: string, capacity: number) =>
    RequestContext.run({ requestId: 'demo-seed', actor: planner }, async () => {
      const [first, second] = await components(code);
      return sittings.create({
        componentId: (component === 0 ? first : second).id,
        date,
        startTime,
        durationMinutes: 120,
        mode: 'on_site',
        roomId: rooms.get(room)!.id,
        invigilatorIds: [invigilator.id],
        capacity,
      });
    });
  const move = (sitting: ExamSitting, ...statuses: ExamSitting['status'][]) =>
    RequestContext.run({ requestId: 'demo-seed', actor: planner }, async () => {
      let current = sitting;
      for (const status of statuses) current = await sittings.changeStatus(current.id, { status, version: current.version, ...(status === 'cancelled' ? { reason: 'De examenzaal is die dag niet beschikbaar; een nieuw moment volgt.' } : {}) });
      return current;
    });
  const register = (sitting: ExamSitting, email: string, arrangements: Record<string, unknown> = {}) =>
    RequestContext.run({ requestId: 'demo-seed', actor: coordinator }, async () =>
      registrations.register({ sittingId: sitting.id, studentId: (await byEmail(db, email)).id, ...arrangements }, coordinator),
    );
  const grade = (registrationId: string, value: number) =>
    RequestContext.run({ requestId: 'demo-seed', actor: coordinator }, () => results.enter({ registrationId, grade: value }, coordinator));
  const publish = (sitting: ExamSitting) => RequestContext.run({ requestId: 'demo-seed', actor: coordinator }, () => results.publish(sitting.id));

  // Passend onderwijs: both parts held today and published.
  const knowledge = await move(await plan('PDO', 0, today, '09:00', 'Lokaal 2.14', 12), 'open');
  const hannekeK = await register(knowledge, 'hanneke.visser@example.com');
  const abdelkarimK = await register(knowledge, 'abdelkarim.tahiri@example.com');
  const practical = await move(await plan('PDO', 1, today, '13:30', 'Lokaal 2.14', 12), 'open');
  const hannekeP = await register(practical, 'hanneke.visser@example.com');
  const abdelkarimP = await register(practical, 'abdelkarim.tahiri@example.com');
  await move(knowledge, 'closed', 'held');
  await move(practical, 'closed', 'held');
  await grade(hannekeK.id, 7.8);
  await grade(abdelkarimK.id, 4.9);
  await grade(hannekeP.id, 8.1);
  await grade(abdelkarimP.id, 6.4);
  await publish(await sittings.get(knowledge.id, coordinator));
  await publish(await sittings.get(practical.id, coordinator));

  // The resit of the knowledge test, open for registration; Abdelkarim is registered (a fee applies).
  const resit = await move(await plan('PDO', 0, addDays(today, 21), '09:00', 'Lokaal 2.14', 12), 'open');
  await register(resit, 'abdelkarim.tahiri@example.com');

  // Coaching in de zorg: held today, results entered but not yet published; one student with extra time in a room of her own.
  const coaching = await move(await plan('PCZ', 0, today, '11:15', 'Zaal Noord', 24), 'open');
  const coached = [
    await register(coaching, 'sanne.vandermeer@example.com'),
    await register(coaching, 'daan.dejong@example.com', { extraTimeMinutes: 30, separateRoom: true, arrangementNote: 'Dyslexie: tentamen in grote letter, 30 minuten extra.' }),
    await register(coaching, 'zeynep.yilmaz@example.com'),
  ];
  await move(coaching, 'closed', 'held');
  for (const [i, registration] of coached.entries()) await grade(registration.id, [6.9, 5.2, 8.4][i]);

  // The rest of the year: a closed, a planned and a cancelled sitting.
  const palliative = await move(await plan('PALZ', 0, addDays(today, 14), '13:30', 'Lokaal 3.02', 18), 'open');
  await register(palliative, 'joana.carvalho@example.com');
  await move(palliative, 'closed');
  await plan('PCZ', 1, addDays(today, 42), '09:00', 'Zaal Noord', 24);
  await move(await plan('SHV', 0, addDays(today, 28), '09:00', 'Lokaal 3.02', 18), 'cancelled');
}

import type { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AttendanceService } from '../attendance/attendance.service';
import { UsersService } from '../auth/users.service';
import { Course } from '../catalogue/course.entity';
import { CeremoniesService } from '../diplomas/ceremonies/ceremonies.service';
import { DiplomasService } from '../diplomas/diplomas.service';
import { DiplomaQuery } from '../diplomas/dto/diploma.dto';
import { DiplomaRequirements } from '../diplomas/diploma-requirements';
import { EnrolmentCompletion } from '../enrolment/enrolment-completion';
import { DomainEvents } from '../events/domain-events';
import { InvoicesService } from '../invoicing/invoices.service';
import { PaymentsService } from '../invoicing/payments.service';
import { Student } from '../enrolment/student.entity';
import { type Actor, RequestContext } from '../kernel/request-context';
import { addDays, todayInAmsterdam } from '../kernel/time';
import { Edition } from '../planning/edition.entity';
import { Session } from '../planning/session.entity';
import { DEMO_STAFF } from './demo-institute';

/** The past edition whose graduates get diplomas: Motiverende gespreksvoering, six Thursday evenings. */
const COURSE = 'MGV';
/** Key (the email's local part) → final grade, or null for one who did not pass every exam yet. */
const GRADUATES: Array<[string, number | null]> = [
  ['lan.hoang', 8.1],
  ['malgorzata.wojcik', 7.4],
  ['duc.tran', 6.8],
  ['zeynep.yilmaz', 7.9],
  ['kofi.boateng', 6.2],
  ['sanne.vandermeer', 7.0],
  ['daan.dejong', null],
  ['fatimazahra.elidrissi', 7.7],
];
/** Her employer's invoice for her tuition is issued but not paid: her diploma waits for it. */
const UNPAID = 'fatimazahra.elidrissi';
/** The employer that pays the tuition of this edition's students. */
const EMPLOYER = 'Stichting Ziekenhuis Amstelzicht';
/** Present at every session but these (six sessions, 80% asked: missing two is too many). */
const ABSENT: Record<string, number[]> = { 'duc.tran': [2], 'sanne.vandermeer': [1, 4] };

async function actorOf(users: UsersService, role: string): Promise<Actor> {
  const staff = DEMO_STAFF.find((member) => member.role === role)!;
  const user = (await users.findByEmail(staff.email))!;
  return { id: user.id, email: user.email, roles: user.roles };
}

/**
 * Diplomas to try at once: a past edition whose students attended (one too little) and
 * passed (one not yet), their employer's tuition invoices paid but one (the institute asks
 * paid tuition for a diploma), their diplomas issued and mailed by the coordinator, one
 * revoked, one reissued after a name change, and a ceremony with invitations answered yes, no
 * and not yet.
 * Made through the modules' own services, so numbers, PDFs, mails and the audit log are real.
 * Returns the verification URL of a valid diploma, to print at boot.
 */
export async function seedDemoDiplomas(db: DataSource, users: UsersService, modules: ModuleRef): Promise<string> {
  const get = <T>(type: new (...args: never[]) => T) => modules.get(type, { strict: false });
  const [attendance, diplomas, ceremonies, completion] = [get(AttendanceService), get(DiplomasService), get(CeremoniesService), get(EnrolmentCompletion)];
  const [planner, coordinator, finance] = [await actorOf(users, 'planner'), await actorOf(users, 'coordinator'), await actorOf(users, 'finance')];

  const course = await db.getRepository(Course).findOneByOrFail({ code: COURSE });
  const today = todayInAmsterdam();
  // Thursdays, the last three weeks ago.
  const lastThursday = addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 3) % 7));
  const dates = Array.from({ length: 6 }, (_, i) => addDays(lastThursday, -7 * (8 - i)));
  const edition = await db.getRepository(Edition).save({
    code: `${COURSE}-${dates[0].slice(0, 4)}-00`,
    courseId: course.id,
    titleSuffix: `afgerond ${dates[5].slice(0, 4)}, Utrecht`,
    startDate: dates[0],
    weekdays: [4],
    startTime: '18:30',
    endTime: '21:30',
    meetingCount: dates.length,
    intervalWeeks: 1,
    locationId: (await db.query(`SELECT id FROM location WHERE city = 'Utrecht' ORDER BY name LIMIT 1`))[0].id,
    capacity: 16,
    minParticipants: course.minParticipants,
    enrolmentDeadline: addDays(dates[0], -14),
    goNoGoDate: addDays(dates[0], -21),
    priceOverrideCents: null,
    status: 'running',
    statusChangedAt: new Date(),
    cancellationReason: null,
    goNoGoProposedAt: null,
  });
  const sessions = await db
    .getRepository(Session)
    .save(dates.map((date) => ({ editionId: edition.id, date, startTime: '18:30', endTime: '21:30', teacherId: null, roomId: null, status: 'planned' as const, sequence: 0 })));

  // Enrolled when the edition ran: straight in, as the enrolment rules are about editions to come,
  // with the event enrolment raises for a final seat, so that invoicing bills the tuition.
  const [{ id: employerId }]: { id: string }[] = await db.query(`SELECT id FROM billing_party WHERE name = $1`, [EMPLOYER]);
  const students = new Map<string, string>();
  for (const [key] of GRADUATES) {
    const student = await db.getRepository(Student).findOneByOrFail({ email: `${key}@example.com` });
    await db.transaction(async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO enrolment (student_id, edition_id, status, tuition_cents, billing_party_id) VALUES ($1, $2, 'enrolled', $3, $4) RETURNING id`,
        [student.id, edition.id, course.tuitionCents, employerId],
      );
      const fact = { enrolmentId: id, studentId: student.id, editionId: edition.id, courseId: course.id, at: new Date(`${dates[0]}T12:00:00Z`) };
      await get(DomainEvents).publish(manager, 'enrolment.confirmed', { ...fact, billingPartyId: employerId, tuitionCents: course.tuitionCents, purchaseOrder: null });
      students.set(`${key}:enrolment`, id);
    });
    students.set(key, student.id);
  }
  // The employer's invoice for the cohort is paid; the one for the last student is not yet.
  await RequestContext.run({ requestId: 'demo-seed', actor: finance }, async () => {
    const invoices = get(InvoicesService);
    const tuitionOf = async (keys: string[]) =>
      ((await db.query(`SELECT id FROM billable_item WHERE enrolment_id = ANY($1) AND kind = 'tuition'`, [keys.map((key) => students.get(`${key}:enrolment`))])) as { id: string }[]).map(
        (item) => item.id,
      );
    const cohort = await invoices.createDraft({ billingPartyId: employerId, itemIds: await tuitionOf(GRADUATES.map(([key]) => key).filter((key) => key !== UNPAID)) });
    const paid = await invoices.issue(cohort.id);
    await get(PaymentsService).register({ invoiceId: paid.id, amountCents: paid.grossCents, paidOn: todayInAmsterdam(), method: 'bank_transfer', reference: paid.paymentReference! });
    await invoices.issue((await invoices.createDraft({ billingPartyId: employerId, itemIds: await tuitionOf([UNPAID]) })).id);
  });

  await RequestContext.run({ requestId: 'demo-seed', actor: planner }, async () => {
    await attendance.setRequirement(course.id, 80);
    for (const [index, session] of sessions.entries()) {
      await attendance.record(planner, edition.id, session.id, {
        records: GRADUATES.map(([key]) => ({ studentId: students.get(key)!, present: !(ABSENT[key] ?? []).includes(index) })),
      });
    }
  });
  await db.transaction(async (manager) => {
    for (const [key, grade] of GRADUATES) if (grade !== null) await completion.complete(manager, students.get(`${key}:enrolment`)!, grade);
  });

  return RequestContext.run({ requestId: 'demo-seed', actor: coordinator }, async () => {
    const requirements = get(DiplomaRequirements);
    await requirements.updateSettings({ requirePaidTuition: true, version: (await requirements.settings()).version });
    await diplomas.issueEdition(edition.id, { mail: true, actorId: coordinator.id });
    const issued = new Map((await diplomas.list(Object.assign(new DiplomaQuery(), { editionId: edition.id, pageSize: 100 }))).items.map((d) => [d.studentId, d]));
    const revoked = issued.get(students.get('kofi.boateng')!)!;
    await diplomas.revoke(coordinator, revoked.id, 'Ingetrokken na vastgestelde fraude bij de praktijktoets (examencommissie, besluit 2026-14)');
    await diplomas.reissue(coordinator, issued.get(students.get('malgorzata.wojcik')!)!.id, {
      reason: 'Naamswijziging na huwelijk',
      nameOnDiploma: 'Małgorzata Wójcik-de Vries',
    });

    const startsAt = new Date(`${addDays(today, 35)}T15:00:00+01:00`);
    const ceremony = await ceremonies.create({
      title: 'Diploma-uitreiking Motiverende gespreksvoering',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2.5 * 3600_000),
      place: 'Utrecht Jaarbeurs, zaal Van Gogh',
      address: 'Jaarbeursplein 6, 3521 AL Utrecht',
      programme: '15.00 Ontvangst met koffie en thee\n15.30 Welkom door de directeur\n15.45 Uitreiking van de diploma’s\n16.45 Borrel',
      capacity: 20,
      maxGuestsPerGraduate: 2,
      responseDeadline: new Date(`${addDays(today, 21)}T23:59:00+01:00`),
      editionIds: [edition.id],
    });
    await ceremonies.invite(ceremony.id);
    const tokens: { token: string; student_id: string }[] = await db.query(`SELECT token, student_id FROM ceremony_invitation WHERE ceremony_id = $1`, [ceremony.id]);
    const tokenOf = (key: string) => tokens.find((t) => t.student_id === students.get(key))!.token;
    await ceremonies.answer(tokenOf('lan.hoang'), 'yes', 2);
    await ceremonies.answer(tokenOf('zeynep.yilmaz'), 'yes', 1);
    await ceremonies.answer(tokenOf('malgorzata.wojcik'), 'no', undefined);
    return issued.get(students.get('lan.hoang')!)!.verificationUrl;
  });
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Environment } from '../../config/environment';
import { EnrolmentDirectory } from '../../enrolment/enrolment-directory';
import { Page, PageQuery, pageFrom } from '../../http/pagination';
import { BusinessRuleError, InvalidInputError, NotFoundError } from '../../kernel/domain-errors';
import { MailOutbox } from '../../mail/mail-outbox.service';
import { EditionsService } from '../../planning/editions.service';
import { SettingsService } from '../../settings/settings.service';
import { lazyImport } from '../../kernel/lazy-import';
import { Diploma } from '../diploma.entity';
import { ceremonyCalendar } from './ceremony-calendar';
import { Ceremony, CeremonyInvitation, InvitationAnswer } from './ceremony.entity';
import { CeremonyCounts, CeremonyInvitations, CeremonyView, CreateCeremonyDto, InvitationsSent, PublicInvitation } from './dto/ceremony.dto';

/** pdfkit and fontkit, loaded with the first attendance list. */
const ceremonyListPdf = lazyImport(() => import('./ceremony-list-pdf'));

const WHEN = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });

/** Diploma ceremonies: invitations by mail with an .ics and a public answer link, answers within the deadline and capacity, the list for the day. */
@Injectable()
export class CeremoniesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly env: Environment,
    private readonly editions: EditionsService,
    private readonly enrolment: EnrolmentDirectory,
    private readonly outbox: MailOutbox,
    private readonly settings: SettingsService,
  ) {}

  async create(input: CreateCeremonyDto): Promise<CeremonyView> {
    const errors = [];
    if (input.endsAt <= input.startsAt) errors.push({ field: 'endsAt', rule: 'afterStart', message: 'endsAt must be after startsAt' });
    if (input.responseDeadline > input.startsAt) errors.push({ field: 'responseDeadline', rule: 'beforeStart', message: 'responseDeadline must not be after the start' });
    if (errors.length > 0) throw new InvalidInputError(errors);
    const ceremony = await this.db.transaction(async (manager) => {
      for (const editionId of input.editionIds) await this.editions.edition(editionId, manager);
      return manager.save(manager.create(Ceremony, { ...input, invitationsSentAt: null }));
    });
    return this.get(ceremony.id);
  }

  async list(query: PageQuery): Promise<Page<CeremonyView>> {
    const page = await pageFrom(this.db.getRepository(Ceremony).createQueryBuilder('ceremony').orderBy('ceremony.startsAt', 'DESC'), query);
    const counts = await this.counts(page.items.map((c) => c.id));
    return { ...page, items: page.items.map((c) => ({ ...c, counts: counts.get(c.id)! })) };
  }

  async get(id: string): Promise<CeremonyView> {
    const ceremony = await this.ceremony(id, this.db.manager);
    return { ...ceremony, counts: (await this.counts([id])).get(id)! };
  }

  /**
   * Invites every holder of a valid diploma of the ceremony's editions who has no invitation
   * yet: the mail (with the .ics and the answer link) goes in the same transaction. Running it
   * again invites only graduates added since.
   */
  async invite(id: string): Promise<InvitationsSent> {
    return this.db.transaction(async (manager) => {
      const ceremony = await this.ceremony(id, manager, true);
      if (ceremony.responseDeadline <= new Date()) throw new BusinessRuleError('response_deadline_passed', 'The answer deadline has passed: invitations can no longer be answered');
      const diplomas = await manager.find(Diploma, {
        where: { editionId: In(ceremony.editionIds), supersededAt: IsNull(), revokedAt: IsNull() },
        order: { sequence: 'ASC' },
      });
      const invited = new Set((await manager.find(CeremonyInvitation, { where: { ceremonyId: id }, select: { studentId: true } })).map((i) => i.studentId));
      const organizer = await this.outbox.sender(manager);
      const calendar = ceremonyCalendar({ ...ceremony, sequence: ceremony.version }, organizer);
      let count = 0;
      for (const diploma of diplomas) {
        if (invited.has(diploma.studentId)) continue;
        invited.add(diploma.studentId);
        const student = await this.enrolment.student(diploma.studentId, manager);
        if (!student) continue;
        const token = randomBytes(24).toString('base64url');
        await manager.insert(CeremonyInvitation, { ceremonyId: id, studentId: diploma.studentId, diplomaId: diploma.id, token, answer: null, guests: 0, answeredAt: null, invitedAt: new Date() });
        count++;
        if (!student.email) continue;
        await this.outbox.enqueue(manager, {
          type: 'ceremony-invitation',
          locale: student.locale === 'en' ? 'en' : 'nl',
          to: { email: student.email, name: student.name },
          studentId: student.id,
          data: {
            studentName: student.name,
            ceremonyTitle: ceremony.title,
            startsAt: ceremony.startsAt.toISOString(),
            endsAt: ceremony.endsAt.toISOString(),
            place: ceremony.place,
            address: ceremony.address,
            programme: ceremony.programme,
            responseDeadline: ceremony.responseDeadline.toISOString(),
            maxGuests: ceremony.maxGuestsPerGraduate,
            answerUrl: this.answerUrl(token),
          },
          attachments: [calendar],
          idempotencyKey: `ceremony-invitation:${id}:${diploma.studentId}`,
        });
      }
      await manager.update(Ceremony, { id }, { invitationsSentAt: new Date() });
      return { invited: count, alreadyInvited: invited.size - count };
    });
  }

  async invitations(id: string): Promise<CeremonyInvitations> {
    await this.ceremony(id, this.db.manager);
    const invitations = await this.db.manager.find(CeremonyInvitation, { where: { ceremonyId: id }, order: { invitedAt: 'ASC' } });
    const diplomas = new Map((await this.db.manager.find(Diploma, { where: { id: In(invitations.map((i) => i.diplomaId)) } })).map((d) => [d.id, d]));
    const entries = [];
    for (const invitation of invitations) {
      const student = await this.enrolment.student(invitation.studentId, this.db.manager);
      entries.push({
        id: invitation.id,
        studentId: invitation.studentId,
        studentNumber: student?.studentNumber ?? 0,
        name: diplomas.get(invitation.diplomaId)?.nameOnDiploma ?? student?.name ?? '',
        diplomaId: invitation.diplomaId,
        diplomaNumber: diplomas.get(invitation.diplomaId)?.number ?? '',
        answer: invitation.answer,
        guests: invitation.guests,
        answeredAt: invitation.answeredAt,
      });
    }
    return { ceremonyId: id, invitations: entries };
  }

  /** The invitation behind a public link; an unknown token is a 404 like any other. */
  async publicInvitation(token: string): Promise<PublicInvitation & { locale: 'nl' | 'en' }> {
    const invitation = await this.byToken(token, this.db.manager);
    const ceremony = await this.ceremony(invitation.ceremonyId, this.db.manager);
    const [diploma, student] = await Promise.all([
      this.db.manager.findOneBy(Diploma, { id: invitation.diplomaId }),
      this.enrolment.student(invitation.studentId, this.db.manager),
    ]);
    return {
      ceremonyTitle: ceremony.title,
      startsAt: ceremony.startsAt,
      endsAt: ceremony.endsAt,
      place: ceremony.place,
      address: ceremony.address,
      programme: ceremony.programme,
      responseDeadline: ceremony.responseDeadline,
      maxGuestsPerGraduate: ceremony.maxGuestsPerGraduate,
      name: diploma?.nameOnDiploma ?? student?.name ?? '',
      answer: invitation.answer,
      guests: invitation.guests,
      open: ceremony.responseDeadline > new Date(),
      locale: student?.locale === 'en' ? 'en' : 'nl',
    };
  }

  /**
   * Records yes (with guests) or no, until the deadline. The ceremony's row lock makes answers
   * wait for each other, so the seats of graduates and guests never exceed the capacity.
   */
  async answer(token: string, answer: InvitationAnswer, guestsGiven: number | undefined): Promise<PublicInvitation & { locale: 'nl' | 'en' }> {
    await this.db.transaction(async (manager) => {
      const found = await this.byToken(token, manager);
      const ceremony = await this.ceremony(found.ceremonyId, manager, true);
      const guests = answer === 'yes' ? (guestsGiven ?? 0) : 0;
      if (answer === 'no' && guestsGiven) throw new InvalidInputError([{ field: 'guests', rule: 'onlyWithYes', message: 'Guests come only with a yes' }]);
      if (ceremony.responseDeadline <= new Date()) {
        throw new BusinessRuleError('response_deadline_passed', `Answers were taken until ${WHEN.format(ceremony.responseDeadline)}; please contact the institute`);
      }
      if (guests > ceremony.maxGuestsPerGraduate) {
        throw new InvalidInputError([{ field: 'guests', rule: 'max', message: `At most ${ceremony.maxGuestsPerGraduate} guests per graduate` }]);
      }
      if (answer === 'yes') {
        const [{ taken }]: { taken: number }[] = await manager.query(
          `SELECT coalesce(sum(1 + guests), 0)::int AS taken FROM ceremony_invitation WHERE ceremony_id = $1 AND answer = 'yes' AND id <> $2`,
          [ceremony.id, found.id],
        );
        if (taken + 1 + guests > ceremony.capacity) {
          throw new BusinessRuleError('ceremony_full', `The ceremony has ${Math.max(0, ceremony.capacity - taken)} seats left; you asked for ${1 + guests}`, {
            seatsLeft: Math.max(0, ceremony.capacity - taken),
          });
        }
      }
      await manager.update(CeremonyInvitation, { id: found.id }, { answer, guests, answeredAt: new Date() });
    });
    return this.publicInvitation(token);
  }

  /** The printable PDF: who comes with how many guests, and the diplomas to bring. */
  async attendanceList(id: string): Promise<Buffer> {
    const ceremony = await this.ceremony(id, this.db.manager);
    const { invitations } = await this.invitations(id);
    const diplomas = new Map((await this.db.manager.find(Diploma, { where: { id: In(invitations.map((i) => i.diplomaId)) } })).map((d) => [d.id, d]));
    const settings = await this.settings.get();
    const { renderCeremonyList } = await ceremonyListPdf();
    return renderCeremonyList({
      institute: settings.name,
      title: ceremony.title,
      when: WHEN.format(ceremony.startsAt),
      place: `${ceremony.place}, ${ceremony.address}`,
      capacity: ceremony.capacity,
      attending: invitations
        .filter((i) => i.answer === 'yes')
        .map((i) => ({ name: i.name, studentNumber: i.studentNumber, guests: i.guests, diplomaNumber: i.diplomaNumber, course: diplomas.get(i.diplomaId)?.courseTitle ?? '' })),
      declined: invitations.filter((i) => i.answer === 'no').length,
      unanswered: invitations.filter((i) => i.answer === null).length,
    });
  }

  answerUrl(token: string): string {
    return `${this.env.PUBLIC_URL.replace(/\/+$/, '')}/ceremony-invitations/${token}`;
  }

  private async ceremony(id: string, manager: EntityManager, lock = false): Promise<Ceremony> {
    const ceremony = await manager.findOne(Ceremony, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!ceremony) throw new NotFoundError('Ceremony', id);
    return ceremony;
  }

  private async byToken(token: string, manager: EntityManager): Promise<CeremonyInvitation> {
    const invitation = /^[A-Za-z0-9_-]{32}$/.test(token) ? await manager.findOneBy(CeremonyInvitation, { token }) : null;
    if (!invitation) throw new NotFoundError('Invitation', 'behind this link');
    return invitation;
  }

  private async counts(ids: string[]): Promise<Map<string, CeremonyCounts>> {
    const rows: { ceremony_id: string; invited: number; yes: number; no: number; guests: number }[] = ids.length
      ? await this.db.query(
          `SELECT ceremony_id, count(*)::int AS invited, count(*) FILTER (WHERE answer = 'yes')::int AS yes,
                  count(*) FILTER (WHERE answer = 'no')::int AS no, coalesce(sum(guests) FILTER (WHERE answer = 'yes'), 0)::int AS guests
             FROM ceremony_invitation WHERE ceremony_id = ANY($1::uuid[]) GROUP BY ceremony_id`,
          [ids],
        )
      : [];
    const byId = new Map(rows.map((r) => [r.ceremony_id, r]));
    return new Map(
      ids.map((id) => {
        const r = byId.get(id) ?? { invited: 0, yes: 0, no: 0, guests: 0 };
        return [id, { invited: r.invited, yes: r.yes, no: r.no, open: r.invited - r.yes - r.no, guests: r.guests, seatsTaken: r.yes + r.guests }];
      }),
    );
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AttendanceService } from '../attendance/attendance.service';
import type { Course } from '../catalogue/course.entity';
import { CatalogueService } from '../catalogue/catalogue.service';
import { EnrolmentDirectory } from '../enrolment/enrolment-directory';
import { Page, pageFrom } from '../http/pagination';
import { JobContext, JobsService } from '../jobs/jobs.service';
import { becauseOf } from '../audit/audit-reason';
import { BusinessRuleError, ConflictError, NotFoundError } from '../kernel/domain-errors';
import type { Actor } from '../kernel/request-context';
import { todayInAmsterdam } from '../kernel/time';
import { MailOutbox, OutgoingMail } from '../mail/mail-outbox.service';
import { DiplomaFacts, DiplomaRenderer, InstituteForDiploma } from './certificate/diploma-renderer';
import { Diploma, DiplomaDocument, diplomaState } from './diploma.entity';
import { DiplomaRequirements } from './diploma-requirements';
import { Eligibility, judge } from './eligibility';
import { formatDiplomaNumber, newVerificationCode } from './diploma-number';
import {
  DiplomaCandidate,
  DiplomaCandidates,
  DiplomaQuery,
  DiplomaView,
  EditionIssueResult,
  IneligibilityReason,
  IssuedDiploma,
  IssueDiplomaDto,
  MailedDiploma,
  ReissueDiplomaDto,
  ResolveReviewDto,
} from './dto/diploma.dto';

export const ISSUE_EDITION_QUEUE = 'diplomas-issue-edition';

interface IssueEditionJob {
  editionId: string;
  mail: boolean;
  actorId: string | null;
}


/**
 * Issuing diplomas: eligibility (every exam component passed, which completes the enrolment,
 * the course's attendance minimum, and paid tuition where the institute asks it), a number from the year's gapless series, a random
 * verification code, the signed PDF stored with its SHA-256, and the mail to the student,
 * all in one transaction.
 */
@Injectable()
export class DiplomasService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly enrolment: EnrolmentDirectory,
    private readonly catalogue: CatalogueService,
    private readonly attendance: AttendanceService,
    private readonly renderer: DiplomaRenderer,
    private readonly outbox: MailOutbox,
    private readonly jobs: JobsService,
    private readonly requirements: DiplomaRequirements,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.define<IssueEditionJob, EditionIssueResult>(ISSUE_EDITION_QUEUE, (job) => this.issueEditionJob(job), {
      retryLimit: 1,
      expireInSeconds: 3600,
    });
  }

  // ---- eligibility ----------------------------------------------------------------------------

  async candidates(editionId: string): Promise<DiplomaCandidates> {
    const manager = this.db.manager;
    const { courseId, summaries, absent } = await this.attendance.summaries(editionId, manager);
    const minimum = await this.attendance.minimumPercent(courseId, manager);
    const holders = await this.enrolment.enrolledOrCompleted(editionId, manager);
    const { requirePaidTuition } = await this.requirements.settings(manager);
    const paid = await this.requirements.paidTuition(
      holders.map((h) => h.enrolmentId),
      manager,
    );
    const diplomas = await manager.find(Diploma, { where: { courseId, supersededAt: IsNull() }, select: { id: true, number: true, studentId: true } });
    const diplomaOf = new Map(diplomas.map((d) => [d.studentId, d]));
    const candidates: DiplomaCandidate[] = [];
    for (const holder of holders) {
      const completed = holder.status === 'completed' ? { finalGrade: holder.finalGrade } : null;
      const summary = summaries.get(holder.studentId) ?? absent;
      const eligibility = judge(completed, holder.status, summary, minimum, { required: requirePaidTuition, paid: paid.has(holder.enrolmentId) });
      const diploma = diplomaOf.get(holder.studentId);
      candidates.push({
        studentId: holder.studentId,
        studentNumber: holder.studentNumber,
        name: holder.name,
        enrolmentId: holder.enrolmentId,
        enrolmentStatus: holder.status,
        ...eligibility,
        diplomaId: diploma?.id ?? null,
        diplomaNumber: diploma?.number ?? null,
      });
    }
    return { editionId, courseId, eligible: candidates.filter((c) => c.eligible).length, candidates };
  }

  /** A student's eligibility for a course's diploma, from their live enrolment in it. */
  async eligibility(studentId: string, courseId: string, manager: EntityManager): Promise<Eligibility> {
    const enrolment = await this.enrolment.enrolmentInCourse(studentId, courseId, manager);
    if (!enrolment) {
      return {
        eligible: false,
        reasons: [{ code: 'not_enrolled', message: 'The student has no enrolment in this course' }],
        enrolmentId: null,
        editionId: null,
        finalGrade: null,
        attendancePercent: null,
        minimumAttendancePercent: null,
        tuitionPaid: false,
        paidTuitionRequired: false,
      };
    }
    const { summaries, absent } = await this.attendance.summaries(enrolment.editionId, manager);
    const minimum = await this.attendance.minimumPercent(courseId, manager);
    const summary = summaries.get(studentId) ?? absent;
    const tuition = { required: (await this.requirements.settings(manager)).requirePaidTuition, paid: (await this.requirements.paidTuition([enrolment.enrolmentId], manager)).size > 0 };
    return {
      ...judge(enrolment.status === 'completed' ? { finalGrade: enrolment.finalGrade } : null, enrolment.status, summary, minimum, tuition),
      enrolmentId: enrolment.enrolmentId,
      editionId: enrolment.editionId,
    };
  }

  // ---- issuing --------------------------------------------------------------------------------

  async issue(actor: Actor | null, input: IssueDiplomaDto): Promise<IssuedDiploma> {
    await this.renderer.assertCanSign();
    const institute = await this.renderer.institute();
    const { diploma, created } = await this.db.transaction((manager) =>
      this.issueIn(manager, actor?.id ?? null, input.studentId, input.courseId, { nameOnDiploma: input.nameOnDiploma, mail: input.mail ?? true }, institute),
    );
    return { created, diploma: await this.view(diploma) };
  }

  /**
   * Issues one diploma in the caller's transaction, or answers the current one of this student
   * and course. A transaction-scoped advisory lock on the pair makes a second issue of the same
   * pair wait and then find the first one's diploma.
   */
  private async issueIn(
    manager: EntityManager,
    actorId: string | null,
    studentId: string,
    courseId: string,
    options: { nameOnDiploma?: string; mail: boolean },
    institute: InstituteForDiploma,
  ): Promise<{ diploma: Diploma; created: boolean; mailed: boolean }> {
    await lockPairs(manager, [studentId], courseId);
    const existing = await manager.findOneBy(Diploma, { studentId, courseId, supersededAt: IsNull() });
    if (existing) return { diploma: existing, created: false, mailed: false };

    const student = await this.enrolment.student(studentId, manager);
    if (!student) throw new NotFoundError('Student', studentId);
    const course = await this.catalogue.get(courseId, manager);
    const eligibility = await this.eligibility(studentId, courseId, manager);
    if (!eligibility.eligible) throw notEligible(eligibility.reasons);
    const [{ diploma, pdf }] = await this.createMany(
      manager,
      [
        {
          ...firstVersion(course, student.locale, options.nameOnDiploma ?? student.name, eligibility.finalGrade),
          studentId,
          courseId,
          editionId: eligibility.editionId!,
          enrolmentId: eligibility.enrolmentId!,
          issuedBy: actorId,
          mailTo: options.mail ? student : null,
        },
      ],
      institute,
    );
    const mailed = diploma.mailCount > 0 && (await this.enqueueMail(manager, diploma, pdf, student)) !== null;
    return { diploma, created: true, mailed };
  }

  /**
   * Numbers, renders, signs and stores diplomas. The year's counter row stays locked until the
   * transaction ends: numbers are given in commit order, and a rolled-back issue gives its
   * numbers back, so the series has no gaps. A diploma that will be mailed is stored as mailed.
   */
  private async createMany(manager: EntityManager, drafts: DiplomaDraft[], institute: InstituteForDiploma): Promise<{ diploma: Diploma; pdf: Buffer }[]> {
    if (drafts.length === 0) return [];
    const issueDate = todayInAmsterdam();
    const year = Number(issueDate.slice(0, 4));
    const [{ last_value: last }]: { last_value: number }[] = await manager.query(
      `INSERT INTO diploma_number_counter (year, last_value) VALUES ($1, $2)
       ON CONFLICT (year) DO UPDATE SET last_value = diploma_number_counter.last_value + $2
       RETURNING last_value`,
      [year, drafts.length],
    );
    const issuedAt = new Date();
    const created: { diploma: Diploma; pdf: Buffer }[] = [];
    for (const [index, { mailTo, ...fields }] of drafts.entries()) {
      const sequence = last - drafts.length + 1 + index;
      const facts: DiplomaFacts = {
        number: formatDiplomaNumber(year, sequence),
        verificationCode: newVerificationCode(),
        nameOnDiploma: fields.nameOnDiploma,
        courseTitle: fields.courseTitle,
        studyLoadHours: fields.studyLoadHours,
        pePoints: fields.pePoints,
        finalGrade: fields.finalGrade,
        issueDate,
        locale: fields.locale,
      };
      const { pdf, signer } = await this.renderer.render(facts, institute);
      const mailed = mailTo?.email ? 1 : 0;
      const diploma = manager.create(Diploma, {
        ...fields,
        ...facts,
        id: randomUUID(),
        year,
        sequence,
        pdfSha256: createHash('sha256').update(pdf).digest('hex'),
        pdfSize: pdf.length,
        signer,
        issuedAt,
        revokedAt: null,
        revocationReason: null,
        revokedBy: null,
        supersededAt: null,
        mailedAt: mailed ? issuedAt : null,
        mailCount: mailed,
        reviewReason: null,
        reviewRequestedAt: null,
      });
      created.push({ diploma, pdf });
    }
    // One statement for the rows (the audit log records each), one for the files: not through an
    // entity, as the audit log has each diploma's pdfSha256 and a copy of the file adds nothing.
    await manager.insert(
      Diploma,
      created.map((c) => c.diploma),
    );
    await manager.query(`INSERT INTO diploma_document (diploma_id, pdf) SELECT * FROM unnest($1::uuid[], $2::bytea[])`, [
      created.map((c) => c.diploma.id),
      created.map((c) => c.pdf),
    ]);
    return created;
  }

  async startEdition(editionId: string, mail: boolean, actor: Actor): Promise<string> {
    await this.renderer.assertCanSign();
    // The edition must exist: a typo answers 404 now, not a failed job later.
    await this.attendance.summaries(editionId);
    return this.jobs.start<IssueEditionJob>(ISSUE_EDITION_QUEUE, { editionId, mail, actorId: actor.id }, { requestedBy: { id: actor.id, email: actor.email } });
  }

  private issueEditionJob(job: JobContext<IssueEditionJob>): Promise<EditionIssueResult> {
    return this.issueEdition(job.data.editionId, { mail: job.data.mail, actorId: job.data.actorId }, (done, total) => job.progress(done, total));
  }

  /**
   * Issues the diploma of every eligible student of an edition, in transactions of
   * `ISSUE_CHUNK` diplomas: numbers taken at once, rows and files inserted in one statement
   * each, the mails in the same transaction. A failure leaves the chunks before it issued; a
   * rerun finds them and goes on. Eligibility is judged once for the edition, and each chunk
   * checks again that its enrolments are still completed.
   */
  async issueEdition(
    editionId: string,
    options: { mail: boolean; actorId: string | null },
    progress: (done: number, total: number) => Promise<void> | void = () => undefined,
  ): Promise<EditionIssueResult> {
    const { courseId, candidates } = await this.candidates(editionId);
    const eligible = candidates.filter((c) => c.eligible);
    const [course, institute, { requirePaidTuition }] = await Promise.all([this.catalogue.get(courseId), this.renderer.institute(), this.requirements.settings()]);
    const result: EditionIssueResult = {
      editionId,
      candidates: candidates.length,
      eligible: eligible.length,
      issued: 0,
      alreadyIssued: 0,
      mailed: 0,
      notEligible: candidates.length - eligible.length,
    };
    await progress(0, eligible.length);
    let done = 0;
    for (let start = 0; start < eligible.length; start += ISSUE_CHUNK) {
      const chunk = eligible.slice(start, start + ISSUE_CHUNK);
      await this.db.transaction(async (manager) => {
        await lockPairs(
          manager,
          chunk.map((c) => c.studentId),
          courseId,
        );
        const existing = new Set(
          (await manager.find(Diploma, { where: { courseId, studentId: In(chunk.map((c) => c.studentId)), supersededAt: IsNull() }, select: { studentId: true } })).map(
            (d) => d.studentId,
          ),
        );
        const holders = new Map((await this.enrolment.enrolledOrCompleted(editionId, manager)).map((h) => [h.studentId, h]));
        // Under the pairs' lock: still completed and, where the institute asks it, the tuition still paid.
        const paid = requirePaidTuition ? await this.requirements.paidTuition(
          chunk.map((c) => c.enrolmentId),
          manager,
        ) : null;
        const drafts: DiplomaDraft[] = [];
        for (const candidate of chunk) {
          const holder = holders.get(candidate.studentId);
          if (existing.has(candidate.studentId)) result.alreadyIssued++;
          else if (holder?.status !== 'completed' || (paid && !paid.has(candidate.enrolmentId))) result.notEligible++;
          else {
            drafts.push({
              ...firstVersion(course, holder.locale, holder.name, candidate.finalGrade),
              studentId: candidate.studentId,
              courseId,
              editionId,
              enrolmentId: candidate.enrolmentId,
              issuedBy: options.actorId,
              mailTo: options.mail ? { email: holder.email, name: holder.name } : null,
            });
          }
        }
        const created = await this.createMany(manager, drafts, institute);
        await this.outbox.enqueueMany(
          manager,
          created.flatMap(({ diploma, pdf }, index) => {
            const to = drafts[index].mailTo;
            return diploma.mailCount > 0 && to?.email ? [this.diplomaMail(diploma, pdf, { email: to.email, name: to.name })] : [];
          }),
        );
        result.issued += created.length;
        result.mailed += created.filter((c) => c.diploma.mailCount > 0).length;
      });
      done += chunk.length;
      await progress(done, eligible.length);
    }
    return result;
  }

  async reissue(actor: Actor, id: string, input: ReissueDiplomaDto): Promise<DiplomaView> {
    await this.renderer.assertCanSign();
    const institute = await this.renderer.institute();
    const diploma = await this.db.transaction(async (manager) => {
      const old = await lockedDiploma(manager, id);
      if (old.reviewRequestedAt) {
        throw new BusinessRuleError('diploma_needs_review', `Diploma ${old.number} is flagged for review (${old.reviewReason}): resolve it with POST /diplomas/${old.id}/review`);
      }
      return this.reissueIn(manager, actor, old, input, old.finalGrade, institute);
    });
    return this.view(diploma);
  }

  /**
   * A new version of a locked current diploma (new number, code and PDF) with `finalGrade`; the
   * old one is superseded and any review asked of it is answered by this.
   */
  private async reissueIn(
    manager: EntityManager,
    actor: Actor,
    old: Diploma,
    input: { reason: string; nameOnDiploma?: string; mail?: boolean },
    finalGrade: number | null,
    institute: InstituteForDiploma,
  ): Promise<Diploma> {
    if (old.supersededAt) throw new ConflictError('diploma_superseded', `Diploma ${old.number} was already replaced by a newer version: reissue that one`);
    if (old.revokedAt) throw new BusinessRuleError('diploma_revoked', `Diploma ${old.number} was revoked; a revoked diploma is not reissued`);
    Object.assign(old, { supersededAt: new Date(), reviewReason: null, reviewRequestedAt: null });
    await manager.save(old, becauseOf(input.reason));
    const student = input.mail ?? true ? await this.enrolment.student(old.studentId, manager) : null;
    const [{ diploma: next, pdf }] = await this.createMany(
      manager,
      [
        {
          studentId: old.studentId,
          courseId: old.courseId,
          editionId: old.editionId,
          enrolmentId: old.enrolmentId,
          version: old.version + 1,
          supersedesId: old.id,
          reissueReason: input.reason,
          nameOnDiploma: input.nameOnDiploma ?? old.nameOnDiploma,
          courseTitle: old.courseTitle,
          studyLoadHours: old.studyLoadHours,
          pePoints: old.pePoints,
          finalGrade,
          locale: old.locale,
          issuedBy: actor.id,
          mailTo: student,
        },
      ],
      institute,
    );
    if (next.mailCount > 0) await this.enqueueMail(manager, next, pdf, student!);
    return next;
  }

  async revoke(actor: Actor, id: string, reason: string): Promise<DiplomaView> {
    const diploma = await this.db.transaction(async (manager) => this.revokeIn(manager, actor, await lockedDiploma(manager, id), reason));
    return this.view(diploma);
  }

  private async revokeIn(manager: EntityManager, actor: Actor, diploma: Diploma, reason: string): Promise<Diploma> {
    if (diploma.revokedAt) throw new ConflictError('diploma_already_revoked', `Diploma ${diploma.number} was revoked on ${diploma.revokedAt.toISOString()}`);
    Object.assign(diploma, { revokedAt: new Date(), revocationReason: reason, revokedBy: actor.id, reviewReason: null, reviewRequestedAt: null });
    return manager.save(diploma, becauseOf(reason));
  }

  // ---- review ---------------------------------------------------------------------------------

  /**
   * Flags the current valid diploma of the student and course for review, in the transaction
   * that reopened the enrolment: what it certifies no longer stands on a completed enrolment.
   * Answers the flagged diploma, or null when there is none.
   */
  async flagForReview(manager: EntityManager, studentId: string, courseId: string, reasonFor: (diploma: Diploma) => string | null, at: Date): Promise<Diploma | null> {
    const diploma = await manager.findOne(Diploma, { where: { studentId, courseId, supersededAt: IsNull(), revokedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
    const reason = diploma && reasonFor(diploma);
    if (!diploma || !reason) return null;
    Object.assign(diploma, { reviewReason: reason, reviewRequestedAt: at });
    return manager.save(diploma, becauseOf(`review asked: ${reason}`));
  }

  /**
   * A coordinator's answer to a review: the diploma stays as issued (`confirm`), is revoked, or
   * is reissued with the enrolment's current final grade (which must earn the diploma again).
   * Each is in the audit log with the reason.
   */
  async resolveReview(actor: Actor, id: string, input: ResolveReviewDto): Promise<DiplomaView> {
    if (input.decision === 'reissue') this.renderer.assertCanSign();
    const institute = input.decision === 'reissue' ? await this.renderer.institute() : null;
    const diploma = await this.db.transaction(async (manager) => {
      const diploma = await lockedDiploma(manager, id);
      if (!diploma.reviewRequestedAt) throw new BusinessRuleError('diploma_not_flagged', `Diploma ${diploma.number} is not flagged for review`);
      if (input.decision === 'revoke') return this.revokeIn(manager, actor, diploma, input.reason);
      if (input.decision === 'confirm') {
        const asked = diploma.reviewReason;
        Object.assign(diploma, { reviewReason: null, reviewRequestedAt: null });
        return manager.save(diploma, becauseOf(`review (${asked}) answered: the diploma stays valid: ${input.reason}`));
      }
      const eligibility = await this.eligibility(diploma.studentId, diploma.courseId, manager);
      if (!eligibility.eligible) throw notEligible(eligibility.reasons);
      return this.reissueIn(manager, actor, diploma, input, eligibility.finalGrade, institute!);
    });
    return this.view(diploma);
  }

  // ---- mail -----------------------------------------------------------------------------------

  async mail(id: string): Promise<MailedDiploma> {
    return this.db.transaction(async (manager) => {
      const diploma = await lockedDiploma(manager, id);
      if (diploma.revokedAt) throw new BusinessRuleError('diploma_revoked', `Diploma ${diploma.number} was revoked: it is not mailed again`);
      if (diploma.supersededAt) throw new BusinessRuleError('diploma_superseded', `Diploma ${diploma.number} was replaced by a newer version: mail that one`);
      const student = await this.enrolment.student(diploma.studentId, manager);
      if (!student?.email) throw new BusinessRuleError('student_has_no_email', 'The student has no email address to mail the diploma to');
      diploma.mailCount++;
      await manager.update(Diploma, { id: diploma.id }, { mailedAt: new Date(), mailCount: diploma.mailCount });
      const mailId = (await this.enqueueMail(manager, diploma, await this.documentIn(manager, diploma.id), student))!;
      return { diplomaId: diploma.id, mailId, mailCount: diploma.mailCount };
    });
  }

  /**
   * Puts the diploma's mail, PDF attached, in the outbox in the caller's transaction, as the
   * diploma's `mailCount`-th: its id, or null when the student has no address.
   */
  private async enqueueMail(manager: EntityManager, diploma: Diploma, document: Buffer, student: MailRecipient): Promise<string | null> {
    if (!student.email) return null;
    return (await this.outbox.enqueue(manager, this.diplomaMail(diploma, document, { email: student.email, name: student.name }))).id;
  }

  private diplomaMail(diploma: Diploma, document: Buffer, to: { email: string; name: string }): OutgoingMail {
    return {
      type: 'diploma-issued',
      locale: diploma.locale,
      to,
      studentId: diploma.studentId,
      data: {
        studentName: diploma.nameOnDiploma,
        courseName: diploma.courseTitle,
        diplomaNumber: diploma.number,
        issueDate: diploma.issueDate,
        verificationUrl: this.renderer.verificationUrl(diploma.verificationCode),
        reissue: diploma.version > 1,
      },
      attachments: [{ filename: `${diploma.number}.pdf`, contentType: 'application/pdf', content: document }],
      idempotencyKey: `diploma-issued:${diploma.id}:${diploma.mailCount}`,
    };
  }

  // ---- reading --------------------------------------------------------------------------------

  async list(query: DiplomaQuery, studentId?: string): Promise<Page<DiplomaView>> {
    const qb = this.db.getRepository(Diploma).createQueryBuilder('diploma').orderBy('diploma.year', 'DESC').addOrderBy('diploma.sequence', 'DESC');
    const student = studentId ?? query.studentId;
    if (student) qb.andWhere('diploma.studentId = :student', { student });
    if (query.editionId) qb.andWhere('diploma.editionId = :edition', { edition: query.editionId });
    if (query.courseId) qb.andWhere('diploma.courseId = :course', { course: query.courseId });
    if (query.state === 'revoked') qb.andWhere('diploma.revokedAt IS NOT NULL');
    if (query.state === 'superseded') qb.andWhere('diploma.revokedAt IS NULL AND diploma.supersededAt IS NOT NULL');
    if (query.state === 'valid') qb.andWhere('diploma.revokedAt IS NULL AND diploma.supersededAt IS NULL');
    if (query.needsReview !== undefined) qb.andWhere(query.needsReview ? 'diploma.reviewRequestedAt IS NOT NULL' : 'diploma.reviewRequestedAt IS NULL');
    const page = await pageFrom(qb, query);
    const successors = await this.successorsOf(page.items.map((d) => d.id));
    return { ...page, items: page.items.map((d) => this.toView(d, successors.get(d.id) ?? null)) };
  }

  async get(id: string): Promise<Diploma> {
    const diploma = await this.db.manager.findOneBy(Diploma, { id });
    if (!diploma) throw new NotFoundError('Diploma', id);
    return diploma;
  }

  async view(diploma: Diploma): Promise<DiplomaView> {
    return this.toView(diploma, (await this.successorsOf([diploma.id])).get(diploma.id) ?? null);
  }

  async document(id: string): Promise<{ diploma: Diploma; pdf: Buffer }> {
    const diploma = await this.get(id);
    return { diploma, pdf: await this.documentIn(this.db.manager, id) };
  }

  /** The current diplomas of an edition, PDFs included, one at a time (for the zip). */
  async *editionDocuments(editionId: string): AsyncGenerator<{ diploma: Diploma; pdf: Buffer }> {
    const diplomas = await this.db.manager.find(Diploma, { where: { editionId, supersededAt: IsNull(), revokedAt: IsNull() }, order: { sequence: 'ASC' } });
    for (const diploma of diplomas) yield { diploma, pdf: await this.documentIn(this.db.manager, diploma.id) };
  }

  async editionExists(editionId: string): Promise<void> {
    await this.attendance.summaries(editionId);
  }

  async byCode(code: string): Promise<Diploma | null> {
    return this.db.manager.findOneBy(Diploma, { verificationCode: code });
  }

  async byDigest(sha256: string): Promise<Diploma | null> {
    return this.db.manager.findOneBy(Diploma, { pdfSha256: sha256 });
  }

  async currentOf(studentId: string, courseIds: string[], manager: EntityManager = this.db.manager): Promise<Diploma[]> {
    if (courseIds.length === 0) return [];
    return manager
      .getRepository(Diploma)
      .createQueryBuilder('diploma')
      .where('diploma.studentId = :studentId AND diploma.courseId IN (:...courseIds) AND diploma.supersededAt IS NULL', { studentId, courseIds })
      .getMany();
  }

  private async documentIn(manager: EntityManager, id: string): Promise<Buffer> {
    const document = await manager.findOneBy(DiplomaDocument, { diplomaId: id });
    if (!document) throw new NotFoundError('Diploma document', id);
    return document.pdf;
  }

  private async successorsOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.manager.find(Diploma, { where: { supersedesId: In(ids) }, select: { id: true, supersedesId: true } });
    return new Map(rows.map((row) => [row.supersedesId!, row.id]));
  }

  toView(diploma: Diploma, supersededById: string | null): DiplomaView {
    return {
      id: diploma.id,
      number: diploma.number,
      state: diplomaState(diploma),
      verificationCode: diploma.verificationCode,
      verificationUrl: this.renderer.verificationUrl(diploma.verificationCode),
      studentId: diploma.studentId,
      courseId: diploma.courseId,
      editionId: diploma.editionId,
      version: diploma.version,
      supersedesId: diploma.supersedesId,
      supersededById,
      reissueReason: diploma.reissueReason,
      nameOnDiploma: diploma.nameOnDiploma,
      courseTitle: diploma.courseTitle,
      studyLoadHours: diploma.studyLoadHours,
      pePoints: diploma.pePoints,
      finalGrade: diploma.finalGrade,
      issueDate: diploma.issueDate,
      locale: diploma.locale,
      pdfSha256: diploma.pdfSha256,
      pdfSize: diploma.pdfSize,
      signer: diploma.signer,
      issuedAt: diploma.issuedAt,
      revokedAt: diploma.revokedAt,
      revocationReason: diploma.revocationReason,
      supersededAt: diploma.supersededAt,
      mailedAt: diploma.mailedAt,
      mailCount: diploma.mailCount,
      needsReview: diploma.reviewRequestedAt !== null,
      reviewReason: diploma.reviewReason,
      reviewRequestedAt: diploma.reviewRequestedAt,
    };
  }
}

function notEligible(reasons: IneligibilityReason[]): BusinessRuleError {
  return new BusinessRuleError('not_eligible_for_diploma', `The student has not earned this diploma: ${reasons.map((r) => r.message).join('; ')}`, { reasons });
}

async function lockedDiploma(manager: EntityManager, id: string): Promise<Diploma> {
  const diploma = await manager.findOne(Diploma, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!diploma) throw new NotFoundError('Diploma', id);
  return diploma;
}

/** Diplomas issued per transaction by the edition run. */
const ISSUE_CHUNK = 25;

interface MailRecipient {
  email: string | null;
  name: string;
}

type DiplomaDraft = Pick<
  Diploma,
  | 'studentId'
  | 'courseId'
  | 'editionId'
  | 'enrolmentId'
  | 'version'
  | 'supersedesId'
  | 'reissueReason'
  | 'nameOnDiploma'
  | 'courseTitle'
  | 'studyLoadHours'
  | 'pePoints'
  | 'finalGrade'
  | 'locale'
  | 'issuedBy'
> & { mailTo: MailRecipient | null };

/** What a first diploma takes from the course, in the student's language. */
function firstVersion(
  course: Pick<Course, 'titleNl' | 'titleEn' | 'studyLoadHours' | 'pePoints'>,
  studentLocale: string,
  name: string,
  finalGrade: number | null,
): Pick<DiplomaDraft, 'version' | 'supersedesId' | 'reissueReason' | 'nameOnDiploma' | 'courseTitle' | 'studyLoadHours' | 'pePoints' | 'finalGrade' | 'locale'> {
  const locale = studentLocale === 'en' ? 'en' : 'nl';
  return {
    version: 1,
    supersedesId: null,
    reissueReason: null,
    nameOnDiploma: name,
    courseTitle: (locale === 'en' ? course.titleEn : null) ?? course.titleNl,
    studyLoadHours: course.studyLoadHours,
    pePoints: course.pePoints.map((p) => ({ register: p.register, points: p.points })),
    finalGrade,
    locale,
  };
}

/**
 * Transaction-scoped advisory locks on (student, course) pairs, taken in one order so that two
 * runs over overlapping students never deadlock: a second issue of a pair waits for the first.
 */
async function lockPairs(manager: EntityManager, studentIds: string[], courseId: string): Promise<void> {
  const keys = studentIds.map((id) => `diploma:${id}:${courseId}`).sort();
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM (SELECT key FROM unnest($1::text[]) AS key ORDER BY key) AS ordered`, [keys]);
}

import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';
import { DiplomaRenderer } from '../src/diplomas/certificate/diploma-renderer';
import { Diploma } from '../src/diplomas/diploma.entity';
import { DiplomasService } from '../src/diplomas/diplomas.service';
import { EnrolmentCompletion } from '../src/enrolment/enrolment-completion';
import { SettingsService } from '../src/settings/settings.service';
import { startBenchApp } from './bench-app';
import { peakRssMb, report } from './harness';

/** `BENCH_DIPLOMAS` may make a quicker run; the benchmark's figure is for 1,000. */
const DIPLOMAS = Number(process.env.BENCH_DIPLOMAS ?? 1_000);
const WARM_UP = 20;
const NAMES = ['Zoë Şahin-Łukasiewicz', 'Nguyễn Thị Minh Khai', 'Sanne de Vries', 'Mohamed El Amrani'];
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAcCBlCwAAAABJRU5ErkJggg==', 'base64');

/** An edition of `count` students who completed the course, straight in the database. */
async function edition(db: DataSource, completion: EnrolmentCompletion, count: number, tag: string): Promise<string> {
  const [course] = await db.query(
    `INSERT INTO course (code, title_nl, title_en, description_nl, discipline, keywords, study_load_hours, ects, pe_points, tuition_cents, tuition_vat,
                         other_fees, minimum_prior_education, prerequisite_course_ids, delivery_mode, min_participants, max_participants)
     VALUES ($1, 'Post-hbo Leidinggeven aan Professionals', 'Post-bachelor Leading Professionals', 'Bench', 'Zorg', '{}', 120, 4.5,
             '[{"register":"Registerplein","points":12}]', 0, 'exempt', '[]', 'hbo_bachelor', '{}', 'on_site', 1, $2) RETURNING id`,
    [`BENCH-${tag}`, count],
  );
  const [location] = await db.query(`INSERT INTO location (name, online, street, postcode, city) VALUES ($1, false, 'Jaarbeursplein 6', '3521 AL', 'Utrecht') RETURNING id`, [`Bench ${tag}`]);
  const [edition] = await db.query(
    `INSERT INTO edition (code, course_id, start_date, weekdays, start_time, end_time, meeting_count, interval_weeks, location_id, capacity, min_participants, status)
     VALUES ($1, $2, current_date - 60, '{2}', '09:30', '16:30', 1, 1, $3, $4, 1, 'running') RETURNING id`,
    [`BENCH-${tag}`, course.id, location.id, count],
  );
  const students: { id: string }[] = await db.query(
    `INSERT INTO student (given_names, family_name, email, locale)
     SELECT split_part(n, ' ', 1), substr(n, length(split_part(n, ' ', 1)) + 2), 'bench-' || lower($1) || '-' || i || '@example.nl', CASE WHEN i % 5 = 0 THEN 'en' ELSE 'nl' END
       FROM generate_series(1, $2) AS i, LATERAL (SELECT ($3::text[])[1 + i % array_length($3::text[], 1)] AS n) AS name
     RETURNING id`,
    [tag, count, NAMES],
  );
  const enrolments: { id: string }[] = await db.query(
    `INSERT INTO enrolment (student_id, edition_id, status, tuition_cents) SELECT unnest($1::uuid[]), $2, 'enrolled', 0 RETURNING id`,
    [students.map((s) => s.id), edition.id],
  );
  await db.transaction(async (manager) => {
    for (const [i, enrolment] of enrolments.entries()) await completion.complete(manager, enrolment.id, 6 + (i % 40) / 10);
  });
  return edition.id;
}

/**
 * Issuing the diplomas of one edition (eligibility, number, PDF, signature, stored, mail
 * queued, each in its transaction) against raw pdfkit rendering and signing of the same
 * documents in the same run.
 */
export async function diplomasBenchmark(): Promise<void> {
  const bench = await startBenchApp([], { RUN_WORKER: 'false', DATA_DIR: process.env.BENCH_DATA_DIR ?? '/tmp/registrar-bench-data' });
  try {
    const app = bench.app;
    const settings = app.get(SettingsService);
    await settings.update({ ...DEMO_INSTITUTE, version: (await settings.get()).version });
    for (const kind of ['logo', 'director_signature', 'coordinator_signature'] as const) await settings.putImage(kind, { mediaType: 'image/png', data: PNG.toString('base64') });
    const db = app.get(DataSource);
    const diplomas = app.get(DiplomasService);
    const renderer = app.get(DiplomaRenderer);
    const completion = app.get(EnrolmentCompletion);

    const warmUp = await edition(db, completion, WARM_UP, 'WARM');
    const run = await edition(db, completion, DIPLOMAS, 'RUN');
    await diplomas.issueEdition(warmUp, { mail: true, actorId: null });

    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss / 2 ** 20)), 20);
    const batchStart = performance.now();
    const result = await diplomas.issueEdition(run, { mail: true, actorId: null });
    const batchSeconds = (performance.now() - batchStart) / 1000;
    clearInterval(sampler);
    if (result.issued !== DIPLOMAS || result.mailed !== DIPLOMAS) throw new Error(`Issued ${result.issued} and mailed ${result.mailed} of ${DIPLOMAS}`);

    // The same documents, rendered and signed bare.
    const issued = await db.getRepository(Diploma).find({ where: { editionId: run }, order: { sequence: 'ASC' } });
    const institute = await renderer.institute();
    const rawStart = performance.now();
    for (const diploma of issued) await renderer.render(diploma, institute);
    const rawSeconds = (performance.now() - rawStart) / 1000;

    report('diplomas', 'batch_time', batchSeconds, 's', rawSeconds);
    report('diplomas', 'diplomas_per_second', DIPLOMAS / batchSeconds, 'diplomas/s', DIPLOMAS / rawSeconds);
    report('diplomas', 'peak_rss_mb', rssPeak, 'MB', rssBefore);
    report('diplomas', 'process_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    await bench.close();
  }
}

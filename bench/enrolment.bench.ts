import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO_INSTITUTE } from '../src/demo/demo-institute';
import { SettingsService } from '../src/settings/settings.service';
import { startBenchApp } from './bench-app';
import { report } from './harness';

const REQUESTS = 200;
const SEATS = 10;

/** 200 concurrent `POST /enrolments` for one edition with 10 seats: exactly 10 enrolled, 190 waitlisted in the order taken, no 5xx. */
export async function enrolmentBenchmark(): Promise<void> {
  const bench = await startBenchApp();
  try {
    const db = bench.app.get(DataSource);
    await bench.app.get(SettingsService).update({ ...DEMO_INSTITUTE });
    const token = await bench.signIn(['advisor']);
    const [course] = await db.query(
      `INSERT INTO course (code, title_nl, discipline, study_load_hours, ects, tuition_cents, tuition_vat, minimum_prior_education, delivery_mode, min_participants, max_participants)
       VALUES ('RACE', 'Post-hbo Wachtrij', 'Bench', 100, 4, 250000, 'exempt', 'hbo_level_intake', 'on_site', 1, 20) RETURNING id`,
    );
    const [location] = await db.query(`SELECT id FROM location LIMIT 1`);
    const [edition] = await db.query(
      `INSERT INTO edition (code, course_id, start_date, weekdays, start_time, end_time, meeting_count, interval_weeks, location_id, capacity, min_participants, status)
       VALUES ('RACE-1', $1, '2031-03-04', '{2}', '09:30', '16:30', 1, 1, $2, $3, 1, 'open') RETURNING id`,
      [course.id, location.id, SEATS],
    );
    const students: { id: string }[] = await db.query(
      `INSERT INTO student (given_names, family_name, email, prior_education)
       SELECT 'Cursist', 'Nummer ' || i, 'race-' || i || '-' || $2 || '@bench.nl', '{"level": "hbo_bachelor", "field": "", "year": null, "institution": ""}'::jsonb
         FROM generate_series(1, $1::int) AS i RETURNING id`,
      [REQUESTS, randomUUID()],
    );
    const started = performance.now();
    const responses = await Promise.all(
      students.map(async (s) => {
        const response = await fetch(`${bench.baseUrl}/enrolments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ studentId: s.id, editionId: edition.id }),
        });
        return { status: response.status, body: (await response.json()) as { status?: string; queuePosition?: number; waitlistPosition?: number } };
      }),
    );
    const raceSeconds = (performance.now() - started) / 1000;
    const rows: { status: string; position: number }[] = await db.query(
      `SELECT status, row_number() OVER (PARTITION BY status ORDER BY queue_position)::int AS position FROM enrolment WHERE edition_id = $1 ORDER BY queue_position`,
      [edition.id],
    );
    const enrolled = rows.filter((r) => r.status === 'enrolled').length;
    const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
    // In the order taken: each waitlisted answer's position is its rank in queue order.
    const answered = responses.filter((r) => r.body.status === 'waitlisted').map((r) => [Number(r.body.queuePosition), r.body.waitlistPosition!]);
    answered.sort((a, b) => a[0] - b[0]);
    const inOrder = answered.every(([, position], i) => position === i + 1);
    if (enrolled !== SEATS || waitlisted !== REQUESTS - SEATS || !inOrder) {
      process.stderr.write(`enrolment: expected ${SEATS} enrolled and ${REQUESTS - SEATS} waitlisted in order; got ${enrolled}, ${waitlisted}, in order: ${inOrder}\n`);
    }
    report('enrolment', 'enrolled', enrolled, 'count');
    report('enrolment', 'waitlisted', waitlisted, 'count');
    report('enrolment', 'errors_5xx', responses.filter((r) => r.status >= 500).length, 'count');
    report('enrolment', 'race_seconds', raceSeconds, 's');
  } finally {
    await bench.close();
  }
}

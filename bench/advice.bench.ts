import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '../src/auth/auth.decorators';
import { todayInAmsterdam } from '../src/enrolment/cancellation-policy';
import { CreateAdviceDto } from '../src/advice/dto/advice.dto';
import { startBenchApp } from './bench-app';
import { percentile, report } from './harness';

const COURSES = 300;
const EDITIONS = 2_000;
const INTAKES = 1_000;
const WORDS = ['coaching', 'zorg', 'leiderschap', 'verpleegkunde', 'mediation', 'financiën', 'jeugdzorg', 'dementie', 'wondzorg', 'palliatief',
  'onderwijs', 'management', 'kwaliteit', 'veiligheid', 'communicatie', 'ethiek', 'innovatie', 'psychologie', 'sport', 'voeding',
  'leadership', 'nursing', 'care', 'quality', 'ethics', 'safety', 'education', 'finance', 'youth', 'dementia'];
const LEVELS = ['hbo_bachelor', 'wo_bachelor', 'wo_master', 'hbo_level_intake'];
const CITIES = ['Utrecht', 'Amsterdam', 'Rotterdam', 'Zwolle', 'Eindhoven'];

/** The baseline: the same intake, only filtered for eligibility (open, before the deadline, level, start window), no ranking. */
@Controller('bench')
class EligibilityBaselineController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post('advice-baseline')
  @HttpCode(200)
  @Roles('advisor')
  async baseline(@Body() intake: CreateAdviceDto): Promise<unknown[]> {
    return this.db.query(
      `SELECT e.id, e.code, c.title_nl FROM edition e JOIN course c ON c.id = e.course_id
        WHERE e.status IN ('open', 'confirmed') AND coalesce(e.enrolment_deadline, e.start_date) >= $1::date
          AND c.minimum_prior_education = ANY($2) AND ($3::date IS NULL OR e.start_date <= $3::date)
        ORDER BY e.start_date LIMIT 5`,
      [todayInAmsterdam(), ['hbo_bachelor', 'hbo_level_intake'], intake.startUntil ?? null],
    );
  }
}

@Module({ controllers: [EligibilityBaselineController] })
class EligibilityBaselineModule {}

const pick = <T>(items: readonly T[], i: number) => items[i % items.length];

/** `POST /advice` over 2,000 open editions of 300 courses, 1,000 different intakes, against the eligibility-only query over HTTP. */
export async function adviceBenchmark(): Promise<void> {
  const bench = await startBenchApp([EligibilityBaselineModule]);
  try {
    const db = bench.app.get(DataSource);
    await seed(db);
    const token = await bench.signIn(['advisor']);
    const intakes = Array.from({ length: INTAKES }, (_, i) => ({
      interests: `Ik wil meer leren over ${pick(WORDS, i * 7)} en ${pick(WORDS, i * 13 + 3)} in mijn werk`,
      goals: i % 3 === 0 ? `better ${pick(WORDS, i + 5)}` : undefined,
      priorEducationLevel: i % 5 === 0 ? 'wo_master' : 'hbo_bachelor',
      preferredWeekdays: [1 + (i % 5)],
      region: pick(CITIES, i),
      budgetCents: 150_000 + (i % 10) * 25_000,
      startUntil: i % 2 === 0 ? '2028-06-30' : undefined,
      limit: 5,
    }));
    const call = async (path: string, body: unknown) => {
      const started = performance.now();
      const response = await fetch(`${bench.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 50; i++) {
      await call('/advice', intakes[i]);
      await call('/bench/advice-baseline', intakes[i]);
    }
    const advice: number[] = [];
    const baseline: number[] = [];
    for (const intake of intakes) {
      advice.push(await call('/advice', intake));
      baseline.push(await call('/bench/advice-baseline', intake));
    }
    report('advice', 'advice_p50_ms', percentile(advice, 50), 'ms', percentile(baseline, 50));
    report('advice', 'advice_p99_ms', percentile(advice, 99), 'ms', percentile(baseline, 99));
  } finally {
    await bench.close();
  }

  async function seed(db: DataSource): Promise<void> {
    const [location] = await db.query(`INSERT INTO location (name, street, postcode, city) VALUES ('Bench Utrecht', 'Jaarbeursplein 6', '3521 AL', 'Utrecht') RETURNING id`);
    const [online] = await db.query(`SELECT id FROM location WHERE online LIMIT 1`);
    await db.query(
      `INSERT INTO course (code, title_nl, title_en, description_nl, description_en, discipline, keywords, study_load_hours, ects,
                           pe_points, tuition_cents, tuition_vat, minimum_prior_education, delivery_mode, min_participants, max_participants)
       SELECT 'B' || lpad(i::text, 4, '0'),
              'Post-hbo ' || w1 || ' en ' || w2 || ' ' || i, 'Post-bachelor ' || w2 || ' ' || i,
              'Verdieping in ' || w1 || ', ' || w2 || ' en ' || w3 || ' voor professionals.', 'Deepening ' || w2 || ' and ' || w3 || '.',
              'Bench', ARRAY[w1, w2, w3], 120, 4.5, '[{"register": "Registerplein", "points": 20}]'::jsonb,
              150000 + (i % 12) * 20000, 'exempt', ($2::text[])[1 + i % 4], CASE WHEN i % 3 = 0 THEN 'online' ELSE 'on_site' END, 4, 16
         FROM generate_series(1, $1::int) AS i,
              LATERAL (SELECT ($3::text[])[1 + i % 30] AS w1, ($3::text[])[1 + (i * 7) % 30] AS w2, ($3::text[])[1 + (i * 11) % 30] AS w3) w`,
      [COURSES, LEVELS, WORDS],
    );
    await db.query(
      `INSERT INTO edition (code, course_id, start_date, weekdays, start_time, end_time, meeting_count, interval_weeks, location_id, capacity, min_participants, status)
       SELECT 'BE-' || lpad(n::text, 5, '0'), c.id, DATE '2027-09-01' + (n % 500), ARRAY[1 + n % 5], '09:30', '16:30', 8, 1,
              CASE WHEN n % 3 = 0 THEN $2::uuid ELSE $3::uuid END, 12, 4, 'open'
         FROM generate_series(1, $1::int) AS n
         JOIN LATERAL (SELECT id FROM course WHERE code = 'B' || lpad((1 + n % ${COURSES})::text, 4, '0')) c ON true`,
      [EDITIONS, online.id, location.id],
    );
    await db.query(`ANALYZE`);
  }
}

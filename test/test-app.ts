import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { UsersService } from '../src/auth/users.service';
import type { Role } from '../src/kernel/role';
import { Environment, loadEnvironment } from '../src/config/environment';
import { configureApp } from '../src/http/configure-app';

export interface TestApp {
  app: NestExpressApplication;
  env: Environment;
  http: ReturnType<typeof request>;
  /**
   * A fresh user with these roles, signed in: its bearer token and id. A student or teacher
   * user is linked to a new student or teacher record unless one is given.
   */
  signIn(roles: Role[], links?: { studentId?: string; teacherId?: string }): Promise<{ token: string; id: string; email: string; studentId?: string; teacherId?: string }>;
  /** A new student record (with a name full of diacritics); its id. */
  aStudent(): Promise<string>;
  /** A new teacher record for any course in discipline `Zorg`; its id. */
  aTeacher(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole application over real HTTP on the run's test database (see global-setup.ts), or on
 * `databaseUrl` for a suite that needs a database of its own. `overrides` sets environment
 * variables for this app only.
 */
export async function createTestApp(overrides: Record<string, string> = {}, databaseUrl = process.env.REGISTRAR_TEST_DATABASE_URL!): Promise<TestApp> {
  const env = loadEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    RUN_MIGRATIONS: 'false',
    JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
    DATA_DIR: process.env.REGISTRAR_TEST_DATA_DIR!,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env, databaseUrl)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  configureApp(app, env);
  await app.init();
  const http = request(app.getHttpServer());
  const db = app.get(DataSource);
  const aStudent = async () => {
    const [{ id }] = await db.query(`INSERT INTO student (given_names, family_name, email) VALUES ('Zoë', 'Şahin-Łukasiewicz', $1) RETURNING id`, [
      `student-${randomUUID()}@test.registrar.nl`,
    ]);
    return id as string;
  };
  const aTeacher = async () => {
    const [{ id }] = await db.query(`INSERT INTO teacher (name, email, disciplines) VALUES ('Nguyễn Thị Minh Khai', $1, '{Zorg}') RETURNING id`, [
      `teacher-${randomUUID()}@test.registrar.nl`,
    ]);
    return id as string;
  };
  return {
    app,
    env,
    http,
    async signIn(roles, links = {}) {
      const email = `${roles.join('-')}-${randomUUID()}@test.registrar.nl`;
      const password = `pw-${randomUUID()}`;
      const studentId = links.studentId ?? (roles.includes('student') ? await aStudent() : undefined);
      const teacherId = links.teacherId ?? (roles.includes('teacher') ? await aTeacher() : undefined);
      const user = await app.get(UsersService).create({ email, password, roles, displayName: `Test ${roles.join(' ')}`, studentId, teacherId });
      const response = await http.post('/auth/login').send({ email, password }).expect(200);
      return { token: response.body.accessToken as string, id: user.id, email, studentId, teacherId };
    },
    aStudent,
    aTeacher,
    close: () => app.close(),
  };
}

/** The `Authorization` header for a token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Waits until `check` holds, polling every 50 ms; fails after `withinMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, withinMs = 15_000): Promise<void> {
  for (const began = Date.now(); !(await check()); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() - began > withinMs) throw new Error(`not within ${withinMs} ms: ${check}`);
  }
}

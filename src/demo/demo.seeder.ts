import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { Environment } from '../config/environment';
import { SettingsService } from '../settings/settings.service';
import { seedDemoCatalogue } from './demo-catalogue';
import { seedDemoExams } from './demo-exams';
import { seedDemoDiplomas } from './demo-diplomas';
import { seedDemoStudents } from './demo-students';
import { seedDemoInvoices } from './demo-invoices';
import { DemoCredential, demoAccountsPath, formatDemoAccounts, writeDemoAccounts } from './demo-accounts';
import { DEMO_INSTITUTE, DEMO_STAFF } from './demo-institute';

/**
 * Seeds the demo institute into an empty database (no users yet) when SEED_DEMO is on;
 * never in production. The passwords go into a file in DATA_DIR that only its owner can
 * read, and the server prints them once it listens (see bootNotice).
 */
@Injectable()
export class DemoSeeder implements OnModuleInit {
  private readonly logger = new Logger(DemoSeeder.name);
  /** The accounts seeded by this process, to be printed when the server is up. */
  private seeded?: DemoCredential[];
  /** A valid demo diploma's public verification page, to try at once. */
  private verificationUrl?: string;

  constructor(
    private readonly env: Environment,
    private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly users: UsersService,
    private readonly modules: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.env.SEED_DEMO || this.env.isProduction) return;
    // A session advisory lock keeps two processes booting on one empty database from seeding twice.
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['registrar:demo-seed']);
      const [{ count }] = await lock.query('SELECT count(*)::int AS count FROM user_account');
      if (count === 0) {
        this.seeded = await this.seed();
        writeDemoAccounts(demoAccountsPath(this.env.DATA_DIR), this.seeded);
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', ['registrar:demo-seed']);
      await lock.release();
    }
  }

  async seed(): Promise<DemoCredential[]> {
    await this.settings.update(DEMO_INSTITUTE);
    // Password hashing dominates the first boot: hash the staff's passwords side by side.
    const credentials: DemoCredential[] = await Promise.all(
      DEMO_STAFF.map(async (staff) => {
        const password = `demo-${randomBytes(9).toString('base64url')}`;
        await this.users.create({ email: staff.email, displayName: staff.displayName, password, roles: [staff.role] });
        return { role: staff.role, email: staff.email, password };
      }),
    );
    credentials.push(...(await seedDemoCatalogue(this.db, this.users)));
    credentials.push(...(await seedDemoStudents(this.db, this.users, this.modules)));
    await seedDemoExams(this.db, this.users, this.modules);
    await seedDemoInvoices(this.db, this.users, this.modules);
    this.verificationUrl = await seedDemoDiplomas(this.db, this.users, this.modules);
    this.logger.log(`Seeded the demo institute "${DEMO_INSTITUTE.name}"`);
    return credentials;
  }

  /**
   * In plain words, for the person who started the server: the accounts seeded at this boot,
   * or where they were kept at the first one. Undefined when there is no demo.
   */
  bootNotice(): string | undefined {
    const path = demoAccountsPath(this.env.DATA_DIR);
    if (this.seeded) {
      const diploma = this.verificationUrl ? `A demo diploma's public check: ${this.verificationUrl}\n` : '';
      return `\nDemo accounts, one per role (kept in ${path}, readable only by you):\n${formatDemoAccounts(this.seeded)}\n${diploma}`;
    }
    if (this.env.SEED_DEMO && existsSync(path)) return `Demo accounts: ${path}\n`;
    return undefined;
  }
}

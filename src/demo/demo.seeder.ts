import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../auth/users.service';
import { Environment } from '../config/environment';
import { SettingsService } from '../settings/settings.service';
import { seedDemoCatalogue } from './demo-catalogue';
import { seedDemoStudents } from './demo-students';
import { DEMO_INSTITUTE, DEMO_STAFF } from './demo-institute';

export interface DemoCredential {
  role: string;
  email: string;
  password: string;
}

/**
 * Seeds the demo institute into an empty database (no users yet) when SEED_DEMO is on;
 * never in production. The passwords are printed once, at that first boot.
 */
@Injectable()
export class DemoSeeder implements OnModuleInit {
  private readonly logger = new Logger(DemoSeeder.name);

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
      if (count === 0) this.print(await this.seed());
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
    this.logger.log(`Seeded the demo institute "${DEMO_INSTITUTE.name}"`);
    return credentials;
  }

  private print(credentials: DemoCredential[]): void {
    const lines = credentials.map((c) => `  ${c.role.padEnd(12)} ${c.email.padEnd(34)} ${c.password}`);
    process.stdout.write(
      ['', 'Demo accounts (shown only now; the database keeps only password hashes):', ...lines, ''].join('\n') + '\n',
    );
  }
}

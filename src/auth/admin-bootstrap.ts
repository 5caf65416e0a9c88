import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Environment } from '../config/environment';
import { UsersService } from './users.service';

/** Creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD when no account has that email yet. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly users: UsersService,
    private readonly env: Environment,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.env;
    if (!email || !password || (await this.users.findByEmail(email))) return;
    await this.users.create({ email, password, displayName: 'Administrator', roles: ['admin'] }).catch((error) => {
      // Two processes booting at once: the other one created it.
      if (error?.status !== 409) throw error;
    });
    this.logger.log(`Created admin account ${email}`);
  }
}

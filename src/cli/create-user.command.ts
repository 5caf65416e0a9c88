import { randomBytes } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { CreateUserDto } from '../auth/dto/user.dto';
import { UsersService } from '../auth/users.service';
import { fieldErrors } from '../http/validation';

interface CreateUserOptions {
  email: string;
  name: string;
  roles: string;
  password?: string;
  locale?: string;
}

@Command({ name: 'user:create', description: 'Create a user; prints a generated password when none is given' })
export class CreateUserCommand extends CommandRunner {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run(_params: string[], options: CreateUserOptions): Promise<void> {
    const password = options.password ?? randomBytes(12).toString('base64url');
    const input = plainToInstance(CreateUserDto, {
      email: options.email,
      displayName: options.name,
      roles: options.roles?.split(',').map((r) => r.trim()),
      password,
      locale: options.locale,
    });
    const errors = fieldErrors(await validate(input, { whitelist: true, forbidNonWhitelisted: true }));
    if (errors.length) {
      throw new Error(errors.map((e) => `${e.field}: ${e.message}`).join('\n'));
    }
    const user = await this.users.create(input);
    process.stdout.write(`Created ${user.email} (${user.roles.join(', ')})${options.password ? '' : ` with password ${password}`}\n`);
  }

  @Option({ flags: '--email <email>', description: 'login email address', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'display name', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--roles <roles>', description: 'comma-separated: admin,planner,advisor,coordinator,finance,teacher,student', required: true })
  parseRoles(value: string): string {
    return value;
  }

  @Option({ flags: '--password <password>', description: 'at least 12 characters; generated when left out' })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--locale <locale>', description: 'nl or en' })
  parseLocale(value: string): string {
    return value;
  }
}

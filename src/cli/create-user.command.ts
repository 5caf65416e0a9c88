import { CreateUserDto } from '../auth/dto/user.dto';
import { UsersService } from '../auth/users.service';
import { CliCommand, Command, generatedPassword, validated } from './cli-command';

@Command({
  name: 'user:create',
  description: 'Create a user; prints a generated password when none is given',
  options: [
    { flags: '--email <email>', description: 'login email address', required: true },
    { flags: '--name <name>', description: 'display name', required: true },
    { flags: '--roles <roles>', description: 'comma-separated: admin,planner,advisor,coordinator,finance,teacher,student', required: true },
    { flags: '--password <password>', description: 'at least 12 characters; generated when left out' },
    { flags: '--locale <locale>', description: 'nl or en' },
  ],
})
export class CreateUserCommand implements CliCommand {
  constructor(private readonly users: UsersService) {}

  async run(options: Record<string, string | undefined>): Promise<void> {
    const password = options.password ?? generatedPassword();
    const input = await validated(CreateUserDto, {
      email: options.email,
      displayName: options.name,
      roles: options.roles?.split(',').map((role) => role.trim()),
      password,
      locale: options.locale,
    });
    const user = await this.users.create(input);
    process.stdout.write(`Created ${user.email} (${user.roles.join(', ')})${options.password ? '' : ` with password ${password}`}\n`);
  }
}

import { UpdateUserDto } from '../auth/dto/user.dto';
import { UsersService } from '../auth/users.service';
import { CliCommand, Command, generatedPassword, validated } from './cli-command';

@Command({
  name: 'user:set-password',
  description: "Set a user's password and end their sessions; prints a generated password when none is given",
  options: [
    { flags: '--email <email>', description: 'login email address of the user', required: true },
    { flags: '--password <password>', description: 'at least 12 characters; generated when left out' },
  ],
})
export class SetPasswordCommand implements CliCommand {
  constructor(private readonly users: UsersService) {}

  async run(options: Record<string, string | undefined>): Promise<void> {
    const user = await this.users.findByEmail(options.email ?? '');
    if (!user) throw new Error(`No user has the email address ${options.email}`);
    const password = options.password ?? generatedPassword();
    // Through the same change as PATCH /users/{id}: it revokes every refresh token of the user.
    await this.users.update(user.id, await validated(UpdateUserDto, { password }));
    process.stdout.write(
      `Set a new password for ${user.email}${options.password ? '' : `: ${password}`}; their sessions have ended\n`,
    );
  }
}

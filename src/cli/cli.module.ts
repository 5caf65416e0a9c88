import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppModule, FEATURE_MODULES } from '../app.module';
import { Environment } from '../config/environment';
import { CliCommand } from './cli-command';
import { CreateUserCommand } from './create-user.command';
import { SetPasswordCommand } from './set-password.command';
import { InvoicesRunCommand } from './invoices-run.command';

/** The commands that run inside the application; `src/cli.ts` adds the migration commands, which run without it. */
export const CLI_COMMANDS: Type<CliCommand>[] = [CreateUserCommand, SetPasswordCommand, InvoicesRunCommand];

/**
 * The operators' commands, on top of the whole application (without HTTP). The feature
 * modules are imported here too, so a command can use any service they export.
 */
@Module({})
export class CliModule {
  static forRoot(env: Environment, databaseUrl: string): DynamicModule {
    return { module: CliModule, imports: [AppModule.forRoot(env, databaseUrl), ...FEATURE_MODULES], providers: CLI_COMMANDS };
  }
}

import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { Command as Program } from 'commander';
import type { CliCommand } from './cli/cli-command';
import { addTimetableTorontoCommand } from './cli/timetable-toronto.command';
import type { Environment } from './config/environment';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabaseOrExit } from './database/connect';
import { revertLastMigration, runMigrations } from './database/run-migrations';

/**
 * `npm run cli -- <command>`. `--help` answers without a database; the timetabler runs without
 * one, migration commands without the application; every other command runs inside it
 * (without HTTP, without job workers and without seeding).
 */
async function program(): Promise<Program> {
  const cli = new Program('npm run cli --').description('Registrar for operators, on DATABASE_URL or the embedded database');
  addTimetableTorontoCommand(cli);
  cli
    .command('migration:run')
    .description('Apply the pending migrations')
    .action(() =>
      withDatabase(withoutMigrationsAtConnect(applicationEnvironment()), async (url) => {
        const ran = await runMigrations(url);
        process.stdout.write(ran.length ? `Applied ${ran.join(', ')}\n` : 'The database is up to date\n');
      }),
    );
  cli
    .command('migration:revert')
    .description('Revert the last applied migration')
    .action(() =>
      withDatabase(withoutMigrationsAtConnect(applicationEnvironment()), async (url) => {
        await revertLastMigration(url);
        process.stdout.write('Reverted the last migration\n');
      }),
    );
  // The commands above need no application: loading it takes seconds they would lose (the timetabler's --seconds is wall time).
  if (cli.commands.some((command) => command.name() === process.argv[2])) return cli;
  const [{ CLI_COMMANDS }, { commandSpecOf }] = await Promise.all([import('./cli/cli.module'), import('./cli/cli-command')]);
  for (const type of CLI_COMMANDS) {
    const spec = commandSpecOf(type);
    const command = cli.command(spec.name).description(spec.description);
    for (const option of spec.options) {
      if (option.required) command.requiredOption(option.flags, option.description);
      else command.option(option.flags, option.description);
    }
    command.action((options: Record<string, string | undefined>) => {
      const env = applicationEnvironment();
      return withDatabase(env, (url) => runInApplication(env, url, type, options));
    });
  }
  return cli;
}

/** The environment of a command: no job workers, no demo seeding. */
function applicationEnvironment(): Environment {
  const env = loadEnvironmentOrExit();
  env.RUN_WORKER = false;
  env.SEED_DEMO = false;
  return env;
}

/** A migration command is the migration step itself: connecting must not run it first. */
function withoutMigrationsAtConnect(env: Environment): Environment {
  env.RUN_MIGRATIONS = false;
  return env;
}

async function withDatabase(env: Environment, use: (url: string) => Promise<void>): Promise<void> {
  const database = await connectDatabaseOrExit(env, { attach: true });
  try {
    await use(database.url);
  } finally {
    await database.stop();
  }
}

async function runInApplication(env: Environment, url: string, type: Type<CliCommand>, options: Record<string, string | undefined>): Promise<void> {
  const [{ NestFactory }, { CliModule }] = await Promise.all([import('@nestjs/core'), import('./cli/cli.module')]);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env, url), { logger: ['error', 'warn'] });
  try {
    await app.get(type).run(options);
  } finally {
    await app.close();
  }
}

program()
  .then((cli) => cli.parseAsync(process.argv))
  .catch(async (error: unknown) => {
    const { describeFailure } = await import('./cli/cli-command');
    process.stderr.write(`${describeFailure(error)}\n`);
    process.exit(1);
  });

import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command as Program } from 'commander';
import { CliCommand, commandSpecOf, describeFailure } from './cli/cli-command';
import { CLI_COMMANDS, CliModule } from './cli/cli.module';
import { Environment } from './config/environment';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabaseOrExit } from './database/connect';
import { revertLastMigration, runMigrations } from './database/run-migrations';

/**
 * `npm run cli -- <command>`. `--help` answers without a database; migration commands run
 * without the application; every other command runs inside it (without HTTP, without job
 * workers and without seeding).
 */
function program(env: Environment): Program {
  const cli = new Program('npm run cli --').description('Registrar for operators, on DATABASE_URL or the embedded database');
  cli
    .command('migration:run')
    .description('Apply the pending migrations')
    .action(() =>
      withDatabase(withoutMigrationsAtConnect(env), async (url) => {
        const ran = await runMigrations(url);
        process.stdout.write(ran.length ? `Applied ${ran.join(', ')}\n` : 'The database is up to date\n');
      }),
    );
  cli
    .command('migration:revert')
    .description('Revert the last applied migration')
    .action(() =>
      withDatabase(withoutMigrationsAtConnect(env), async (url) => {
        await revertLastMigration(url);
        process.stdout.write('Reverted the last migration\n');
      }),
    );
  for (const type of CLI_COMMANDS) {
    const spec = commandSpecOf(type);
    const command = cli.command(spec.name).description(spec.description);
    for (const option of spec.options) {
      if (option.required) command.requiredOption(option.flags, option.description);
      else command.option(option.flags, option.description);
    }
    command.action((options: Record<string, string | undefined>) =>
      withDatabase(env, (url) => runInApplication(env, url, type, options)),
    );
  }
  return cli;
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
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env, url), { logger: ['error', 'warn'] });
  try {
    await app.get(type).run(options);
  } finally {
    await app.close();
  }
}

const env = loadEnvironmentOrExit();
env.RUN_WORKER = false;
env.SEED_DEMO = false;
program(env)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`${describeFailure(error)}\n`);
    process.exit(1);
  });

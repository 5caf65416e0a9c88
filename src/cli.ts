import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { STANDALONE_COMMANDS, StandaloneCliModule } from './cli/standalone-cli.module';

/**
 * `npm run cli -- <command>`. Standalone commands (the Toronto timetabler) run without the
 * application or a database, migration commands without the application; every other
 * command runs inside it (without HTTP, without job workers and without seeding).
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (STANDALONE_COMMANDS.includes(command)) {
    await CommandFactory.run(StandaloneCliModule, { logger: ['error', 'warn'], serviceErrorHandler: failed });
    return;
  }
  // Loaded here, not at the top: loading the application takes seconds a standalone command would lose.
  const { CliModule } = await import('./cli/cli.module');
  const { loadEnvironmentOrExit } = await import('./config/load');
  const { connectDatabase } = await import('./database/connect');
  const { revertLastMigration, runMigrations } = await import('./database/run-migrations');
  const env = loadEnvironmentOrExit();
  env.RUN_WORKER = false;
  env.SEED_DEMO = false;
  const migrationCommand = command === 'migration:run' || command === 'migration:revert';
  if (migrationCommand) env.RUN_MIGRATIONS = false;
  const database = await connectDatabase(env, { attach: true });
  try {
    if (command === 'migration:run') {
      const ran = await runMigrations(database.url);
      process.stdout.write(ran.length ? `Applied ${ran.join(', ')}\n` : 'The database is up to date\n');
    } else if (command === 'migration:revert') {
      await revertLastMigration(database.url);
      process.stdout.write('Reverted the last migration\n');
    } else {
      await CommandFactory.run(CliModule.forRoot(env, database.url), {
        logger: ['error', 'warn'],
        errorHandler: failed,
      });
    }
  } finally {
    await database.stop();
  }
}

function failed(error: Error): void {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

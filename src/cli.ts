import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadEnvironmentOrExit } from './config/load';
import { connectDatabaseOrExit } from './database/connect';
import { revertLastMigration, runMigrations } from './database/run-migrations';

/**
 * `npm run cli -- <command>`. Migration commands run without the application; every other
 * command runs inside it (without HTTP, without job workers and without seeding).
 */
async function main(): Promise<void> {
  const env = loadEnvironmentOrExit();
  env.RUN_WORKER = false;
  env.SEED_DEMO = false;
  const command = process.argv[2];
  const migrationCommand = command === 'migration:run' || command === 'migration:revert';
  if (migrationCommand) env.RUN_MIGRATIONS = false;
  const database = await connectDatabaseOrExit(env, { attach: true });
  try {
    if (command === 'migration:run') {
      const ran = await runMigrations(database.url);
      process.stdout.write(ran.length ? `Applied ${ran.join(', ')}\n` : 'The database is up to date\n');
    } else if (command === 'migration:revert') {
      await revertLastMigration(database.url);
      process.stdout.write('Reverted the last migration\n');
    } else {
      // Loaded once the database answers, as in main.ts.
      const { CliModule } = await import('./cli/cli.module');
      await CommandFactory.run(CliModule.forRoot(env, database.url), {
        logger: ['error', 'warn'],
        errorHandler: (error) => {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 1;
        },
      });
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

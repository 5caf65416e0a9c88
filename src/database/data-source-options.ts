import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { CONNECT_TIMEOUT_MILLISECONDS } from './connection-errors';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** TypeORM settings shared by the app, the CLI and the test setup. Never `synchronize`. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A server that does not answer (or a pool that stays full) fails a request with a 503 rather than holding it.
    extra: { max: 20, application_name: 'registrar', connectionTimeoutMillis: CONNECT_TIMEOUT_MILLISECONDS },
  };
}

import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseAvailability } from './database-availability';
import { dataSourceOptions } from './data-source-options';

/** The connection URL actually in use: DATABASE_URL, or the embedded server's. */
export const DATABASE_URL = Symbol('DATABASE_URL');

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), autoLoadEntities: true, migrationsRun: false })],
      providers: [
        { provide: DATABASE_URL, useValue: url },
        { provide: DatabaseAvailability, useFactory: () => new DatabaseAvailability(url) },
      ],
      exports: [DATABASE_URL, DatabaseAvailability],
    };
  }
}

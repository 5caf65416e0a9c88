import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { Environment } from '../config/environment';
import { CreateUserCommand } from './create-user.command';
import { StandaloneCliModule } from './standalone-cli.module';

/** The operators' commands, on top of the whole application (without HTTP). */
@Module({})
export class CliModule {
  static forRoot(env: Environment, databaseUrl: string): DynamicModule {
    return { module: CliModule, imports: [AppModule.forRoot(env, databaseUrl), StandaloneCliModule], providers: [CreateUserCommand] };
  }
}

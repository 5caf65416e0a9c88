import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshToken } from './refresh-token.entity';
import { TokenService } from './token.service';
import { UserAccount } from './user-account.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AdminBootstrap } from './admin-bootstrap';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserAccount, RefreshToken]),
    JwtModule.registerAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ secret: env.JWT_SECRET, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    TokenService,
    LoginThrottleService,
    UsersService,
    AdminBootstrap,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, TokenService],
})
export class AuthModule {}

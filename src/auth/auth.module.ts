import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LiveSessions } from './live-sessions';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshToken } from './refresh-token.entity';
import { signingSecret } from './signing-secret';
import { TokenService } from './token.service';
import { UserAccount } from './user-account.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthPersonalData } from './auth-personal-data';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserAccount, RefreshToken]),
    JwtModule.registerAsync({
      inject: [Environment],
      // A key object, made once: given the secret as a string, jsonwebtoken first tries (and fails) to read it as a public key on every
      // request (0.7 ms each).
      useFactory: (env: Environment) => ({ secret: createSecretKey(Buffer.from(signingSecret(env))), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    TokenService,
    LiveSessions,
    LoginThrottleService,
    UsersService,
    AdminBootstrap,
    AuthPersonalData,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, TokenService],
})
export class AuthModule {}

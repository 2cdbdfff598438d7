import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { AuthGuard } from './auth.guard.js';
import { DistrictLookup } from './district-lookup.js';
import { IdentityProvidersController } from './identity-providers.controller.js';
import { IdentityProvidersRepository } from './identity-providers.repository.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import { OidcClients } from './oidc-clients.js';
import { OidcService } from './oidc.service.js';
import { RateLimiter } from './rate-limiter.js';
import { SignInController } from './sign-in.controller.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { StaffController } from './staff.controller.js';
import { StaffRepository } from './staff.repository.js';
import { StaffService } from './staff.service.js';
import { TokenCache } from './token-cache.js';
import { TokensController } from './tokens.controller.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

/** Who may do what: API tokens, staff accounts, their sessions and sign-in. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [TokensController, StaffController, SessionsController, IdentityProvidersController, SignInController],
  providers: [
    Clock,
    TokensRepository,
    TokensService,
    TokenCache,
    StaffRepository,
    StaffService,
    SessionsRepository,
    SessionsService,
    SignInLimiter,
    RateLimiter,
    DistrictLookup,
    IdentityProvidersRepository,
    IdentityProvidersService,
    OidcClients,
    OidcService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokensService, Clock],
})
export class AuthModule {}

import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ALL_ROLES, Public, Roles, SameOrigin } from './access.decorators.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { clientAddress, cookieOptions, SESSION_COOKIE } from './http-context.js';
import type { Principal } from './principal.js';
import { CurrentSessionDto, SignOutEverywhereDto, TokenSignInDto } from './sessions.dto.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('sessions')
@ApiCookieAuth(SESSION_COOKIE)
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @SameOrigin()
  @ApiCreatedResponse({ type: CurrentSessionDto, description: 'Token sign-in: sets the session cookie.' })
  async signInWithToken(
    @Body() body: TokenSignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CurrentSessionDto> {
    const opened = await this.sessions.signInWithToken(body.token, clientAddress(request), request.id);
    response.cookie(SESSION_COOKIE, opened.secret, cookieOptions(request, this.config.publicUrl));
    return opened.current;
  }

  @Get('current')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: CurrentSessionDto, description: 'Who is signed in: the staff user, or the token.' })
  current(@CurrentPrincipal() principal: Principal): Promise<CurrentSessionDto> {
    return this.sessions.current(principal);
  }

  @Delete('current')
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @ApiNoContentResponse({ description: 'Signed out: the session ends and the cookie is cleared.' })
  async signOut(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.sessions.signOut(principal);
    response.clearCookie(SESSION_COOKIE, cookieOptions(request, this.config.publicUrl));
  }

  @Delete()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({
    type: SignOutEverywhereDto,
    description: 'Signs out everywhere: every session of the staff user (or of the token) ends.',
  })
  async signOutEverywhere(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignOutEverywhereDto> {
    const ended = await this.sessions.signOutEverywhere(principal);
    response.clearCookie(SESSION_COOKIE, cookieOptions(request, this.config.publicUrl));
    return { ended };
  }
}

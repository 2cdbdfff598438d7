import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Public, SameOrigin } from './access.decorators.js';
import { baseUrl, clientAddress, cookieOptions, OIDC_COOKIE, OIDC_COOKIE_PATH, readCookie, SESSION_COOKIE } from './http-context.js';
import { PENDING_TTL_MS, REFUSALS, safeReturnPath, type Refusal } from './oidc.domain.js';
import { OidcService } from './oidc.service.js';
import { SessionsService } from './sessions.service.js';
import { PAGE_HEADERS, refusalPage, signInPage } from './sign-in.pages.js';
import { OidcStartQueryDto, SignInPageQueryDto, TokenFormDto } from './sign-in.dto.js';

/** The browser's way in: the sign-in page, its token form, and the OpenID Connect redirects. Outside /api/v1. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    private readonly oidc: OidcService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Public()
  page(@Query() query: SignInPageQueryDto, @Res() response: Response): void {
    response
      .status(200)
      .set(PAGE_HEADERS)
      .type('html')
      .send(signInPage({ tokenSignIn: this.config.tokenSignIn, returnTo: safeReturnPath(query.returnTo) }));
  }

  /** The page's token form: a plain form post, answered with a redirect, so the page needs no script. */
  @Post('sign-in/token')
  @Public()
  @SameOrigin()
  async tokenForm(@Body() body: TokenFormDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const returnTo = safeReturnPath(body.returnTo);
    try {
      const opened = await this.sessions.signInWithToken(body.token, clientAddress(request), request.id);
      response.cookie(SESSION_COOKIE, opened.secret, cookieOptions(request, this.config.publicUrl)).redirect(303, returnTo);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const retryAfter = error.extra['retryAfterSeconds'];
      if (typeof retryAfter === 'number') response.set('Retry-After', String(retryAfter));
      response
        .status(error.code === 'too_many_attempts' ? 429 : error.code === 'token_sign_in_disabled' ? 403 : 401)
        .set(PAGE_HEADERS)
        .type('html')
        .send(signInPage({ tokenSignIn: this.config.tokenSignIn, returnTo, error: error.message }));
    }
  }

  @Get('auth/oidc/start')
  @Public()
  async start(@Query() query: OidcStartQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const outcome = await this.oidc.start(query, baseUrl(request, this.config.publicUrl), clientAddress(request));
    if ('refused' in outcome) return this.refuse(response, outcome.refused, outcome.retryAfterSeconds);
    response
      .cookie(OIDC_COOKIE, outcome.pending, { ...cookieOptions(request, this.config.publicUrl, OIDC_COOKIE_PATH), maxAge: PENDING_TTL_MS })
      .redirect(303, outcome.redirect);
  }

  @Get('auth/oidc/callback')
  @Public()
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1) : '';
    const outcome = await this.oidc.callback(query, readCookie(request, OIDC_COOKIE), clientAddress(request), request.id);
    response.clearCookie(OIDC_COOKIE, cookieOptions(request, this.config.publicUrl, OIDC_COOKIE_PATH));
    if ('refused' in outcome) return this.refuse(response, outcome.refused, outcome.retryAfterSeconds);
    response.cookie(SESSION_COOKIE, outcome.session, cookieOptions(request, this.config.publicUrl)).redirect(303, outcome.returnTo);
  }

  private refuse(response: Response, refusal: Refusal, retryAfterSeconds: number | undefined): void {
    if (retryAfterSeconds !== undefined) response.set('Retry-After', String(retryAfterSeconds));
    response
      .status(REFUSALS[refusal].status)
      .set(PAGE_HEADERS)
      .set('X-Refusal-Reason', refusal)
      .type('html')
      .send(refusalPage(REFUSALS[refusal].message));
  }
}

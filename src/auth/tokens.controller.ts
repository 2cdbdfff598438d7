import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { ADMINS, ALL_ROLES, DistrictWide, Roles } from './access.decorators.js';
import { NotStoredForReplay } from '../idempotency/idempotency.interceptor.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { CreatedTokenDto, CreateTokenDto, TokenDto, TokenListDto } from './tokens.dto.js';
import { TokensService } from './tokens.service.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @Roles(...ADMINS)
  @DistrictWide()
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The secret is returned once, here (not in an Idempotency-Key replay).' })
  @NotStoredForReplay('secret')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTokenDto): Promise<CreatedTokenDto> {
    return this.tokens.create(principal, body);
  }

  @Get()
  @Roles(...ADMINS)
  @DistrictWide()
  @ApiOkResponse({ type: TokenListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<TokenListDto> {
    return { data: await this.tokens.list(principal) };
  }

  @Get('me')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'The token making the request (directly, or through a session it opened).',
    description:
      "Token-only: a staff user's own session has no token and gets 404 no_token_in_session. GET /api/v1/sessions/current " +
      'says who is calling, for sessions and tokens alike.',
  })
  @ApiOkResponse({ type: TokenDto, description: 'The token making the request.' })
  me(@CurrentPrincipal() principal: Principal): Promise<TokenDto> {
    return this.tokens.me(principal);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles(...ADMINS)
  @DistrictWide()
  @ApiOkResponse({ type: TokenDto })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<TokenDto> {
    return this.tokens.revoke(principal, id);
  }
}

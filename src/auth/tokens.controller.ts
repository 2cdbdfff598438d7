import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { ADMINS, ALL_ROLES, Roles } from './access.decorators.js';
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
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The secret is returned once, here.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTokenDto): Promise<CreatedTokenDto> {
    return this.tokens.create(principal, body);
  }

  @Get()
  @Roles(...ADMINS)
  @ApiOkResponse({ type: TokenListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<TokenListDto> {
    return { data: await this.tokens.list(principal) };
  }

  @Get('me')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: TokenDto, description: 'The token making the request.' })
  me(@CurrentPrincipal() principal: Principal): Promise<TokenDto> {
    return this.tokens.me(principal);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles(...ADMINS)
  @ApiOkResponse({ type: TokenDto })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<TokenDto> {
    return this.tokens.revoke(principal, id);
  }
}

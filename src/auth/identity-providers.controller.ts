import { Body, Controller, Get, Inject, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { ADMINS, DistrictWide, Roles } from './access.decorators.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { baseUrl } from './http-context.js';
import { IdentityProviderDto, PutIdentityProviderDto } from './identity-providers.dto.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import type { Principal } from './principal.js';

@ApiTags('districts')
@ApiBearerAuth()
@Controller('districts/:id/identity-provider')
@DistrictWide()
export class IdentityProvidersController {
  constructor(
    private readonly providers: IdentityProvidersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOkResponse({ type: IdentityProviderDto, description: 'The client secret is never shown.' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Req() request: Request,
  ): Promise<IdentityProviderDto> {
    return this.providers.get(principal, id, baseUrl(request, this.config.publicUrl));
  }

  @Put()
  @Roles(...ADMINS)
  @ApiOkResponse({
    type: IdentityProviderDto,
    description: "Sets the district's OpenID Connect provider; its discovery document must answer.",
  })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: PutIdentityProviderDto,
    @Req() request: Request,
  ): Promise<IdentityProviderDto> {
    return this.providers.put(principal, id, body, baseUrl(request, this.config.publicUrl));
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IfMatch } from '../common/http/etag.js';
import type { VersionCondition } from '../common/versions.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, DistrictWide, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal, Role } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import {
  CreateKitDto,
  CreateKitTemplateDto,
  KitDto,
  KitListQueryDto,
  KitPageDto,
  KitTemplateDto,
  KitTemplateListQueryDto,
  KitTemplatePageDto,
  ReturnKitDto,
} from './kits.dto.js';
import { KitsService } from './kits.service.js';

/** Help desks hand out and take back kits as well as tech staff. */
export const KIT_WRITERS: Role[] = ['state_admin', 'district_admin', 'tech', 'helpdesk'];

@ApiTags('kits')
@ApiBearerAuth()
@Controller('kit-templates')
export class KitTemplatesController {
  constructor(private readonly kits: KitsService) {}

  @Post()
  @Roles(...KIT_WRITERS)
  @DistrictWide()
  @ApiCreatedResponse({ type: KitTemplateDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateKitTemplateDto): Promise<KitTemplateDto> {
    return this.kits.createTemplate(principal, body);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: KitTemplatePageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: KitTemplateListQueryDto): Promise<KitTemplatePageDto> {
    return this.kits.listTemplates(principal, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: KitTemplateDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<KitTemplateDto> {
    return this.kits.getTemplate(principal, id);
  }
}

@ApiTags('kits')
@ApiBearerAuth()
@Controller('kits')
export class KitsController {
  constructor(private readonly kits: KitsService) {}

  @Post()
  @Roles(...KIT_WRITERS)
  @ApiCreatedResponse({ type: KitDto, description: "The template's items are copied into the kit as issued." })
  issue(@CurrentPrincipal() principal: Principal, @Body() body: CreateKitDto): Promise<KitDto> {
    return this.kits.issue(principal, body);
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: KitPageDto, description: 'Newest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: KitListQueryDto): Promise<KitPageDto> {
    return this.kits.list(principal, query);
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: KitDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<KitDto> {
    return this.kits.get(principal, id);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles(...KIT_WRITERS)
  @ApiOkResponse({ type: KitDto, description: 'missingItems holds what was issued and did not come back.' })
  returnKit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReturnKitDto,
    @IfMatch() ifMatch: VersionCondition | undefined,
  ): Promise<KitDto> {
    return this.kits.returnKit(principal, id, body, ifMatch);
  }
}

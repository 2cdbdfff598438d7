import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { UuidParamPipe } from '../common/http/uuid-param.pipe.js';
import { StudentEquipmentDto } from './equipment.dto.js';
import { EquipmentService } from './equipment.service.js';

@ApiTags('custody')
@ApiBearerAuth()
@Controller('students')
export class StudentEquipmentController {
  constructor(private readonly equipment: EquipmentService) {}

  @Get(':id/equipment')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'What the student holds now (devices, kits with missing items) and their assignment history.' })
  @ApiOkResponse({ type: StudentEquipmentDto })
  forStudent(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<StudentEquipmentDto> {
    return this.equipment.forStudent(principal, id);
  }
}

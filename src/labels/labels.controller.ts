import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { DEVICE_WRITERS } from '../devices/device-roles.js';
import { SafeToRepeat } from '../idempotency/idempotency.interceptor.js';
import { LabelsRequestDto } from './labels.dto.js';
import { LabelsService } from './labels.service.js';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('labels')
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Post()
  @HttpCode(200)
  @Roles(...DEVICE_WRITERS)
  @SafeToRepeat()
  @ApiOperation({
    summary: 'Asset labels as a PDF: the asset tag as Code 128 and QR code, the tag in text, the district and a short line.',
    description:
      'Every device must have an asset tag the template can print, or nothing is printed (422 labels_not_printable naming them). ' +
      'Changes nothing, so Idempotency-Key does not apply: send the request again to retry.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The sheets, as an attachment; pages = ceil((labels + startPosition - 1) / labels per page).',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async print(@CurrentPrincipal() principal: Principal, @Body() body: LabelsRequestDto): Promise<StreamableFile> {
    const pdf = await this.labels.render(principal, body);
    return new StreamableFile(pdf.stream, { type: 'application/pdf', disposition: `attachment; filename="${pdf.filename}"` });
  }
}

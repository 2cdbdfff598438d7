import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators.js';
import { HealthService } from './health.service.js';

class LiveDto {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
}

class ReadyDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) postgres!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) redis!: 'up' | 'down';
  @ApiProperty({
    required: false,
    description: 'Imports and gap scans marked running while no worker holds their job (its worker died or its job gave up).',
    example: [{ kind: 'import', id: '3f1c2a9e-0d4b-4c1e-9a57-2b6e8f0c1d23' }],
  })
  stuck?: { kind: 'import' | 'gap_scan'; id: string }[];
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Public()
  @ApiOkResponse({ type: LiveDto, description: 'The process is up.' })
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ type: ReadyDto, description: 'PostgreSQL or Redis, named, is down, or work is stuck (named).' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadyDto> {
    const report = await this.health.ready();
    if (report.status !== 'ok') response.status(503);
    return report;
  }
}

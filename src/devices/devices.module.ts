import { Module } from '@nestjs/common';
import { DevicesController, SparePoolController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import { StatusMappingsController } from './status-mappings.controller.js';
import { StatusMappingsRepository } from './status-mappings.repository.js';
import { StatusMappingsService } from './status-mappings.service.js';

@Module({
  controllers: [DevicesController, SparePoolController, StatusMappingsController],
  providers: [DevicesRepository, DevicesService, StatusMappingsRepository, StatusMappingsService],
  exports: [DevicesRepository],
})
export class DevicesModule {}

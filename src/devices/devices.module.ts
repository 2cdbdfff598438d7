import { Module } from '@nestjs/common';
import { DevicesController, SparePoolController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';

@Module({
  controllers: [DevicesController, SparePoolController],
  providers: [DevicesRepository, DevicesService],
  exports: [DevicesRepository],
})
export class DevicesModule {}

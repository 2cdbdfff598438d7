import { Module } from '@nestjs/common';
import { KitsController, KitTemplatesController } from './kits.controller.js';
import { KitsRepository } from './kits.repository.js';
import { KitsService } from './kits.service.js';

@Module({
  controllers: [KitTemplatesController, KitsController],
  providers: [KitsRepository, KitsService],
})
export class KitsModule {}

import { Module } from '@nestjs/common';
import { LabelsController } from './labels.controller.js';
import { LabelsRepository } from './labels.repository.js';
import { LabelsService } from './labels.service.js';

/** Asset labels: reads devices, districts, schools and shipments; owns no table. */
@Module({
  controllers: [LabelsController],
  providers: [LabelsRepository, LabelsService],
})
export class LabelsModule {}

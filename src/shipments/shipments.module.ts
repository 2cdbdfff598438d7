import { Module } from '@nestjs/common';
import { ShipmentsController } from './shipments.controller.js';
import { ShipmentsRepository } from './shipments.repository.js';
import { ShipmentsService } from './shipments.service.js';

@Module({
  controllers: [ShipmentsController],
  providers: [ShipmentsRepository, ShipmentsService],
  // The shipment-manifest import records its batches through ShipmentsService.addManifestBatch.
  exports: [ShipmentsService],
})
export class ShipmentsModule {}

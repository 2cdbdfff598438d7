import { Module } from '@nestjs/common';
import { DistrictsController } from './districts.controller.js';
import { DistrictsRepository } from './districts.repository.js';
import { DistrictsService } from './districts.service.js';
import { SchoolsController } from './schools.controller.js';
import { SchoolsRepository } from './schools.repository.js';
import { SchoolsService } from './schools.service.js';

@Module({
  controllers: [DistrictsController, SchoolsController],
  providers: [DistrictsRepository, DistrictsService, SchoolsRepository, SchoolsService],
})
export class DistrictsModule {}

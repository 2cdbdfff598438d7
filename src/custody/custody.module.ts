import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { AssignmentsController } from './assignments.controller.js';
import { AssignmentsRepository } from './assignments.repository.js';
import { AssignmentsService } from './assignments.service.js';
import { BulkCustodyService } from './bulk-custody.service.js';
import { CustodyLedger } from './custody-ledger.service.js';
import { DeviceWorkflowsController } from './device-workflows.controller.js';
import { DeviceWorkflowsService } from './device-workflows.service.js';
import { EquipmentRepository } from './equipment.repository.js';
import { EquipmentService } from './equipment.service.js';
import { RepairsRepository } from './repairs.repository.js';
import { ScanLookupController } from './scan-lookup.controller.js';
import { ScanLookupRepository } from './scan-lookup.repository.js';
import { ScanLookupService } from './scan-lookup.service.js';
import { StudentEquipmentController } from './student-equipment.controller.js';

@Module({
  imports: [DevicesModule],
  controllers: [AssignmentsController, DeviceWorkflowsController, StudentEquipmentController, ScanLookupController],
  providers: [
    AssignmentsRepository,
    RepairsRepository,
    EquipmentRepository,
    CustodyLedger,
    AssignmentsService,
    BulkCustodyService,
    DeviceWorkflowsService,
    EquipmentService,
    ScanLookupRepository,
    ScanLookupService,
  ],
  exports: [CustodyLedger],
})
export class CustodyModule {}

import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

/** AuditRepository comes from the global DatabaseModule, which every transaction's audit needs. */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}

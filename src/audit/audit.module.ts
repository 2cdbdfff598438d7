import { Global, Module } from '@nestjs/common';
import { AuditSink } from '../database/audit-sink.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditWriter } from './audit-writer.js';

/** Global: every transaction's unit of work writes its audit entries through the sink this provides. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditWriter, { provide: AuditSink, useExisting: AuditWriter }],
  exports: [AuditSink, AuditWriter],
})
export class AuditModule {}

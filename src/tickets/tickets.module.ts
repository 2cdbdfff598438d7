import { Module } from '@nestjs/common';
import { TicketBulkRepository } from './ticket-bulk.repository.js';
import { TicketsController } from './tickets.controller.js';
import { TicketsRepository } from './tickets.repository.js';
import { TicketsService } from './tickets.service.js';

@Module({
  controllers: [TicketsController],
  providers: [TicketsRepository, TicketBulkRepository, TicketsService],
  exports: [TicketsService, TicketBulkRepository],
})
export class TicketsModule {}

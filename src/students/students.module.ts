import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module.js';
import { StudentsController } from './students.controller.js';
import { StudentsRepository } from './students.repository.js';
import { StudentsService } from './students.service.js';

@Module({
  imports: [TicketsModule],
  controllers: [StudentsController],
  providers: [StudentsRepository, StudentsService],
})
export class StudentsModule {}

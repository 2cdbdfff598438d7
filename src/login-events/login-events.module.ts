import { Module } from '@nestjs/common';
import { LoginEventsController } from './login-events.controller.js';
import { LoginEventsRepository } from './login-events.repository.js';
import { LoginEventsService } from './login-events.service.js';

@Module({
  controllers: [LoginEventsController],
  providers: [LoginEventsRepository, LoginEventsService],
})
export class LoginEventsModule {}

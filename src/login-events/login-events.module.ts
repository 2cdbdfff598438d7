import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { LoginEventPartitionsProcessor } from './login-event-partitions.processor.js';
import { LoginEventPartitionsRepository } from './login-event-partitions.repository.js';
import { LoginEventPartitionsService } from './login-event-partitions.service.js';

/** Owns login_events: the bulk writer the imports call, and the partitions' upkeep and retention. */
@Module({
  // The one Clock (AuthModule's), which tests move.
  imports: [AuthModule],
  providers: [LoginEventPartitionsRepository, LoginEventPartitionsService, LoginEventPartitionsProcessor],
})
export class LoginEventsModule {}

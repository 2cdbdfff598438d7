import { Injectable } from '@nestjs/common';

/** The current time, as one injectable: tests move it to expire sessions without waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

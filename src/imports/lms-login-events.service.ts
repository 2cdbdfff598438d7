import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFor } from '../auth/scope.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { CopyBuffer } from '../database/bulk-stage.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { recordLoginEvents } from '../login-events/login-events-bulk.repository.js';
import { ImportsRepository } from './imports.repository.js';
import type { LoginEventDto, LoginEventsResultDto, RecordLoginEventsDto } from './lms-login-events.dto.js';
import { mapLoginEvent } from './parts/login-events.js';
import type { Fields } from './parts/part.js';

function fieldsOf(event: LoginEventDto): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(event) as [string, unknown][]) {
    if (typeof value === 'string' && value.trim()) fields[key] = value.trim();
  }
  return fields;
}

@Injectable()
export class LmsLoginEventsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Records a batch of login events from an LMS, synchronously and set-based, with the checks of a
   * login-events file: a bad event rejects the request naming its index; unknown students are counted.
   */
  async record(principal: Principal, input: RecordLoginEventsDto): Promise<LoginEventsResultDto> {
    const districtId = districtFor(principal, input.districtId);
    const rows = new CopyBuffer();
    const errors: FieldError[] = [];
    input.events.forEach((event, index) => {
      const mapped = mapLoginEvent(fieldsOf(event), 'api');
      if ('row' in mapped) rows.add(index + 1, mapped.row);
      else if ('errors' in mapped) {
        errors.push(...mapped.errors.map((e) => ({ field: `events[${index}]${e.field ? `.${e.field}` : ''}`, message: e.message })));
      }
    });
    if (errors.length) {
      throw domainError('validation_failed', errors);
    }
    if (!(await this.imports.findDistrict(districtId))) {
      throw referenceNotFound('district_not_found', 'districtId', districtId);
    }
    return this.uow.run(actorOf(principal), async (tx) => {
      const counts = await recordLoginEvents(tx.em, districtId, rows);
      return { received: input.events.length, ...counts };
    });
  }
}

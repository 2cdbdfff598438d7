import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { domainError } from '../errors/error-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Path ids are UUIDs; anything else is a 400 naming the parameter, not a database error. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) {
      const field = metadata.data ?? 'id';
      throw domainError('validation_failed', [{ field, message: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}

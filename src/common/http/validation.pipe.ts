import { type ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '../errors/domain-error.js';
import { domainError } from '../errors/error-codes.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator puts the property name first; "unknown field" reads better than its wording.
      message: message.startsWith(`property ${error.property} should not exist`) ? 'unknown field' : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Rejects unknown fields and wrong types with one problem that names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => domainError('validation_failed', flatten(errors)),
  });
}

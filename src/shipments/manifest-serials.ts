import type { FieldError } from '../common/errors/domain-error.js';

export const MAX_MANIFEST_SERIALS = 50_000;
export const MAX_SERIAL_LENGTH = 100;
/** Enough to fix a file by; the problem's detail says how many there were in all. */
export const MAX_REPORTED_ERRORS = 100;

/**
 * What is wrong with a manifest's serial numbers, each error naming its index: not text, blank, too
 * long, padded with spaces, or a repeat of an earlier entry (a serial is delivered once per manifest).
 */
export function manifestSerialErrors(serials: readonly unknown[], field = 'serialNumbers'): FieldError[] {
  const errors: FieldError[] = [];
  const firstIndex = new Map<string, number>();
  serials.forEach((serial, index) => {
    const at = `${field}[${index}]`;
    if (typeof serial !== 'string') {
      errors.push({ field: at, message: 'must be a string' });
    } else if (serial.trim() === '') {
      errors.push({ field: at, message: 'must not be blank' });
    } else if (serial.length > MAX_SERIAL_LENGTH) {
      errors.push({ field: at, message: `must be at most ${MAX_SERIAL_LENGTH} characters` });
    } else if (serial !== serial.trim()) {
      errors.push({ field: at, message: 'must not begin or end with spaces' });
    } else {
      const earlier = firstIndex.get(serial);
      if (earlier === undefined) firstIndex.set(serial, index);
      else errors.push({ field: at, message: `repeats ${field}[${earlier}] (${serial})` });
    }
  });
  return errors;
}

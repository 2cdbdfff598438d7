import { describe, expect, it } from '@jest/globals';
import { STATUS } from '../http/problem-details.filter.js';
import {
  domainError,
  ERROR_CODES,
  HTTP_ERROR_CODES,
  referenceNotFound,
  referencesNotFound,
  UNKNOWN_HTTP_ERROR_CODE,
  type ErrorCode,
} from './error-codes.js';

describe('the error catalogue', () => {
  const domainCodes = Object.keys(ERROR_CODES) as ErrorCode[];
  const frameworkCodes = [...Object.values(HTTP_ERROR_CODES), UNKNOWN_HTTP_ERROR_CODE];

  it('names every code once, the framework codes included', () => {
    const all = [...domainCodes, ...frameworkCodes];
    expect(all.filter((code, i) => all.indexOf(code) !== i)).toEqual([]);
  });

  it('gives every code a kind with an HTTP status', () => {
    for (const code of domainCodes) expect([code, STATUS[ERROR_CODES[code].kind]]).toEqual([code, expect.any(Number)]);
  });

  it('spells codes as stable snake_case identifiers', () => {
    for (const code of [...domainCodes, ...frameworkCodes]) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('answers a record addressed by the URL with 404 and one referred to by the body with 422, under the same code', () => {
    const addressed = domainError('district_not_found', 'd-1');
    const referenced = referenceNotFound('district_not_found', 'districtId', 'd-1');
    expect([addressed.code, STATUS[addressed.kind], addressed.message]).toEqual(['district_not_found', 404, 'No district with id d-1.']);
    expect([referenced.code, STATUS[referenced.kind], referenced.message]).toEqual(['district_not_found', 422, 'No district with id d-1.']);
    expect(referenced.errors).toEqual([{ field: 'districtId', message: 'no such district' }]);
  });

  it("names each index of a list in the body whose record is absent, with 422 under the record's code", () => {
    const error = referencesNotFound('device_not_found', ['deviceIds[1]', 'deviceIds[4]'], 7);
    expect([error.code, STATUS[error.kind], error.message]).toEqual([
      'device_not_found',
      422,
      '7 device id(s) name no device in this district; the first 2 are listed.',
    ]);
    expect(error.errors).toEqual([
      { field: 'deviceIds[1]', message: 'no such device in this district' },
      { field: 'deviceIds[4]', message: 'no such device in this district' },
    ]);
  });

  it('words a validation problem by the fields it names', () => {
    const error = domainError(
      'validation_failed',
      [
        { field: 'a', message: 'x' },
        { field: 'a', message: 'y', line: 2 },
        { field: 'b', message: 'z' },
      ],
      7,
    );
    expect(error.message).toBe('The request is invalid: a, b (7 problems; the first 3 are listed).');
  });
});

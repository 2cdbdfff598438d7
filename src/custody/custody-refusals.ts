import { DomainError, type ErrorKind } from '../common/errors/domain-error.js';
import type { DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';

/** Why a device could not be issued to a student; shared by the single and the bulk routes. */
export interface Refusal {
  kind: ErrorKind;
  code: string;
  message: string;
  field: 'deviceId' | 'studentId';
  deviceStatus?: DeviceStatus;
}

export const DEVICE_NOT_FOUND: Refusal = { kind: 'unprocessable', code: 'device_not_found', message: 'No such device in the district.', field: 'deviceId' };
export const STUDENT_NOT_FOUND: Refusal = { kind: 'unprocessable', code: 'student_not_found', message: 'No such student in the district.', field: 'studentId' };

export function issueRefusal(state: {
  deviceStatus: DeviceStatus | null;
  holderId: string | null;
  studentFound: boolean;
  studentStatus: EnrollmentStatus | null;
}, studentId: string | null): Refusal {
  if (state.deviceStatus === null) return DEVICE_NOT_FOUND;
  if (!state.studentFound) return STUDENT_NOT_FOUND;
  if (state.deviceStatus !== 'in_stock') {
    const message =
      state.holderId !== null && state.holderId === studentId
        ? 'The student already holds this device.'
        : `The device is ${state.deviceStatus}, not in_stock.`;
    return { kind: 'conflict', code: 'device_not_available', message, field: 'deviceId', deviceStatus: state.deviceStatus };
  }
  if (state.studentStatus === 'withdrawn') {
    return { kind: 'conflict', code: 'student_withdrawn', message: 'The student has withdrawn; devices go only to active students.', field: 'studentId' };
  }
  return { kind: 'conflict', code: 'device_not_available', message: 'The device was taken by another request at the same time.', field: 'deviceId', deviceStatus: state.deviceStatus };
}

export function refusalError(refusal: Refusal): DomainError {
  return new DomainError(
    refusal.kind,
    refusal.code,
    refusal.message,
    refusal.kind === 'unprocessable' ? [{ field: refusal.field, message: refusal.message }] : [],
    refusal.deviceStatus ? { deviceStatus: refusal.deviceStatus } : {},
  );
}

/**
 * A workflow the device's status does not allow: the code names the status (device_in_repair,
 * device_lost, device_stolen, device_retired) so a client can say exactly why.
 */
export function deviceStatusConflict(status: DeviceStatus, refused: string): DomainError {
  return new DomainError('conflict', `device_${status}`, `The device is ${status.replace('_', ' ')}; it cannot be ${refused}.`, [], { deviceStatus: status });
}

/** A signature dated in the future is a typo, not a record; a minute of clock skew is allowed. */
export function signedInFuture(signedAt: string | undefined): boolean {
  return signedAt !== undefined && Date.parse(signedAt) > Date.now() + 60_000;
}

export function refuseFutureSignature(signedAt: string | undefined, field: string): void {
  if (signedInFuture(signedAt)) {
    throw new DomainError('validation', 'validation_failed', `The request is invalid: ${field}.`, [{ field, message: 'must not be in the future' }]);
  }
}

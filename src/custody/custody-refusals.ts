import type { DomainError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound, type ErrorCode } from '../common/errors/error-codes.js';
import type { DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';

/** Why a device could not be issued to a student; shared by the single and the bulk routes (which report its code and message). */
export function issueRefusal(
  state: {
    deviceStatus: DeviceStatus | null;
    holderUnknown: boolean;
    holderId: string | null;
    studentFound: boolean;
    studentStatus: EnrollmentStatus | null;
  },
  studentId: string | null,
): DomainError {
  if (state.deviceStatus === null) return referenceNotFound('device_not_found', 'deviceId');
  if (!state.studentFound) return referenceNotFound('student_not_found', 'studentId');
  if (state.deviceStatus !== 'in_stock' && !state.holderUnknown) {
    return domainError(
      'device_not_available',
      state.holderId !== null && state.holderId === studentId ? 'held_by_student' : 'status',
      state.deviceStatus,
    );
  }
  if (state.studentStatus === 'withdrawn') return domainError('student_withdrawn');
  return domainError('device_not_available', 'taken', state.deviceStatus);
}

/** Statuses from which a device can be taken in for repair or reported lost: it is in stock or with a student. */
const IN_CIRCULATION = ['in_stock', 'assigned', 'loaner'] as const satisfies readonly DeviceStatus[];
type InCirculation = (typeof IN_CIRCULATION)[number];

export const inCirculation = (status: DeviceStatus): status is InCirculation =>
  (IN_CIRCULATION as readonly DeviceStatus[]).includes(status);

/** Each status that takes a device out of circulation has a code of its own, so a client can say exactly why. */
const STATUS_CONFLICTS = {
  in_repair: 'device_in_repair',
  lost: 'device_lost',
  stolen: 'device_stolen',
  retired: 'device_retired',
} as const satisfies Record<Exclude<DeviceStatus, InCirculation>, ErrorCode>;

/** A workflow the device's status does not allow. */
export function deviceStatusConflict(status: Exclude<DeviceStatus, InCirculation>, refused: string): DomainError {
  return domainError(STATUS_CONFLICTS[status], refused);
}

/** A signature dated in the future is a typo, not a record; a minute of clock skew is allowed. */
export function signedInFuture(signedAt: string | undefined): boolean {
  return signedAt !== undefined && Date.parse(signedAt) > Date.now() + 60_000;
}

export function refuseFutureSignature(signedAt: string | undefined, field: string): void {
  if (signedInFuture(signedAt)) {
    throw domainError('validation_failed', [{ field, message: 'must not be in the future' }]);
  }
}

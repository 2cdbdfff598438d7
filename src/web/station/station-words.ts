import type { Problem, Schemas } from '../api/client';

type Device = Schemas['ScannedDeviceDto'];
type Person = { givenName: string; familyName: string; identifier?: string | null };

const KIND_LABELS: Record<Device['kind'], string> = { chromebook: 'Chromebook', hotspot: 'Hotspot', laptop: 'Laptop', other: 'Device' };

export const personName = (p: Person): string => `${p.givenName} ${p.familyName}`;
export const personLabel = (p: Person): string => (p.identifier ? `${personName(p)} (${p.identifier})` : personName(p));
export const deviceLabel = (d: Pick<Device, 'kind' | 'assetTag' | 'serialNumber'>): string =>
  `${KIND_LABELS[d.kind]} ${d.assetTag ?? d.serialNumber}`;

/** Why this device cannot be handed to this student, read from the scan alone; null: it can. */
export function issueRefusal(device: Device, studentId: string): string | null {
  const label = deviceLabel(device);
  if (device.holder) {
    return device.holder.studentId === studentId
      ? `${label}: this student already holds it.`
      : `${label} is already held by ${personLabel(device.holder)}. Collect it first.`;
  }
  switch (device.status) {
    case 'in_stock':
      return null;
    case 'in_repair':
      return `${label} is in repair: it cannot be issued until the repair is done.`;
    case 'lost':
      return `${label} was reported lost.`;
    case 'stolen':
      return `${label} was reported stolen.`;
    case 'retired':
      return `${label} is retired.`;
    case 'assigned':
    case 'loaner':
      return `${label} is checked out, to a student not known here.`;
  }
}

/** Why this device cannot be collected, read from the scan; null: it can. */
export function collectRefusal(device: Device): string | null {
  if (device.holder) return null;
  const label = deviceLabel(device);
  switch (device.status) {
    case 'in_repair':
      return `${label} is already in repair.`;
    case 'lost':
      return `${label} was reported lost; it is not checked out to anyone.`;
    case 'stolen':
      return `${label} was reported stolen; it is not checked out to anyone.`;
    case 'retired':
      return `${label} is retired.`;
    case 'in_stock':
    case 'assigned':
    case 'loaner':
      return `${label} is not checked out to anyone: it is in stock.`;
  }
}

/** The API's refusal in words for the person at the table (the codes are src/common/errors/error-codes.ts). */
export function problemWords(problem: Problem, label: string): string {
  switch (problem.code) {
    case 'device_not_available':
      return `${label} is not available (${typeof problem['deviceStatus'] === 'string' ? problem['deviceStatus'] : 'taken'}): it may have just been issued elsewhere.`;
    case 'student_withdrawn':
      return `The student has withdrawn: ${label} was not issued.`;
    case 'device_in_repair':
      return `${label} is in repair.`;
    case 'device_lost':
      return `${label} was reported lost.`;
    case 'device_stolen':
      return `${label} was reported stolen.`;
    case 'device_retired':
      return `${label} is retired.`;
    case 'assignment_ended':
      return `${label} was already returned.`;
    case 'no_loaner_available':
      return 'No loaner of that kind is in stock at the school.';
    case 'role_not_allowed':
    case 'outside_school_scope':
      return 'Your role or school scope does not allow this.';
    default:
      return `${label}: ${problem.detail ?? problem.title ?? 'the service refused.'}`;
  }
}

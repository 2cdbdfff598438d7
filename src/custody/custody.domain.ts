import type { Condition } from '../devices/device.domain.js';

/** The words of custody: who holds a device, how a holding ended, repairs and losses. */

export const ASSIGNMENT_KINDS = ['primary', 'loaner'] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];
export const END_REASONS = ['returned', 'repair', 'lost', 'stolen', 'retired', 'repair_return'] as const;
export type EndReason = (typeof END_REASONS)[number];
/** What a device taken in for repair has; it becomes the device's condition while it is repaired. */
export const REPAIR_PROBLEMS = ['broken', 'damaged'] as const satisfies readonly Condition[];
export type RepairProblem = (typeof REPAIR_PROBLEMS)[number];
export const REPAIR_DESTINATIONS = ['stock', 'student'] as const;
export type RepairDestination = (typeof REPAIR_DESTINATIONS)[number];
export const LOSS_KINDS = ['lost', 'stolen'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

export interface AssignmentRow {
  id: string;
  districtId: string;
  deviceId: string;
  studentId: string;
  kind: AssignmentKind;
  loanerForDeviceId: string | null;
  /** Timestamps as ISO text (isoText), as the API answers them. */
  startedAt: string;
  issuedBy: string | null;
  acknowledgedByName: string | null;
  /** Whether the acknowledgement carries a drawn signature (the image itself is not read with the row). */
  acknowledgementSigned: boolean;
  acknowledgedAt: string | null;
  endedAt: string | null;
  endReason: EndReason | null;
  returnedCondition: Condition | null;
  returnNote: string | null;
  endedBy: string | null;
}

export interface RepairRow {
  id: string;
  districtId: string;
  deviceId: string;
  studentId: string | null;
  problem: RepairProblem;
  note: string | null;
  loanerAssignmentId: string | null;
  openedAt: Date;
  closedAt: Date | null;
  returnedTo: RepairDestination | null;
}

export interface LossRow {
  id: string;
  districtId: string;
  deviceId: string;
  studentId: string | null;
  kind: LossKind;
  policeReportNumber: string | null;
  reportedAt: Date;
}

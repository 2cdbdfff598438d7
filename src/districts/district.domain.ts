/** A district as stored: its settings drive the gap scan and the reports. */
export interface DistrictRow {
  id: string;
  name: string;
  code: string;
  timeZone: string;
  gapThresholdDays: number;
  syncStaleDays: number;
  hotspotIdleDays: number;
  sparePoolMinimum: number;
  closureDates: string[];
  /** The current school year's first and last day (YYYY-MM-DD); both null: no school-year bound. */
  schoolYearStart: string | null;
  schoolYearEnd: string | null;
  /** A bulk roster that would withdraw more than this share (percent) of the active students waits for an admin. */
  rosterWithdrawalLimitPercent: number;
  /** School years of login events kept, the current one included (README "Login-event retention"). */
  loginRetentionYears: number;
  createdAt: Date;
  updatedAt: Date;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}

export interface SchoolRow {
  id: string;
  districtId: string;
  name: string;
  code: string;
  sourcedId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}

import { readFileSync } from 'node:fs';
import { ApiError, type Api } from './api.js';
import type { CustodyFault, GeneratedDistrict } from './generator.js';
import { mapLimit } from './processes.js';

/**
 * The parts of loading a generated state that no import covers, done through the product's own
 * routes as a district would: districts, the distribution day (POST /assignments/bulk), and devices
 * that broke or went in for repair afterwards.
 */

/** The bulk route's largest list (MAX_BULK_LINES in src/custody/bulk.dto.ts). */
const BULK_LINES = 2000;

/** Rows of a small CSV the generator wrote (no quoted cells), header skipped. */
function rowsOf(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','));
}

export async function createDistrict(api: Api, district: GeneratedDistrict): Promise<string> {
  const created = await api.post<{ id: string }>('/api/v1/districts', {
    name: district.name,
    code: district.code,
    timeZone: district.timeZone,
  });
  return created.id;
}

export interface Tally {
  requests: number;
  lines: number;
  outcomes: Record<string, number>;
}

const tally = (): Tally => ({ requests: 0, lines: 0, outcomes: {} });
const count = (t: Tally, outcome: string): void => {
  t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + 1;
};

export function addTallies(into: Tally, more: Tally): Tally {
  into.requests += more.requests;
  into.lines += more.lines;
  for (const [k, v] of Object.entries(more.outcomes)) into.outcomes[k] = (into.outcomes[k] ?? 0) + v;
  return into;
}

/** Distribution day: every assignment of the district through POST /assignments/bulk, 2,000 lines a request. */
/** A district's distribution-day list in requests of BULK_LINES lines (each device once, so requests never contend). */
export function assignmentRequests(districtId: string, district: GeneratedDistrict): { districtId: string; lines: BulkLine[] }[] {
  const lines = rowsOf(district.files.assignments).map(([assetTag, studentSourcedId]) => ({
    assetTag: assetTag!,
    studentSourcedId: studentSourcedId!,
  }));
  const requests: { districtId: string; lines: BulkLine[] }[] = [];
  for (let i = 0; i < lines.length; i += BULK_LINES) requests.push({ districtId, lines: lines.slice(i, i + BULK_LINES) });
  return requests;
}

type BulkLine = { assetTag: string; studentSourcedId: string };

/** One request of assignmentRequests, tallied. */
export async function assignDevices(api: Api, request: { districtId: string; lines: BulkLine[] }): Promise<Tally> {
  const t = tally();
  const result = await api.post<{ results: { outcome: string; code?: string }[] }>('/api/v1/assignments/bulk', request);
  t.requests += 1;
  t.lines += request.lines.length;
  for (const r of result.results) count(t, r.code ? `${r.outcome}:${r.code}` : r.outcome);
  return t;
}

export type DeviceIds = (districtId: string, assetTags: string[]) => Promise<Map<string, string>>;

/**
 * After distribution some devices break: the help desk marks them broken or damaged (PATCH condition)
 * or takes them in for repair, with a loaner from the school's spares when asked and there is one.
 */
export async function applyFaults(
  api: Api,
  districtId: string,
  district: GeneratedDistrict,
  deviceIds: DeviceIds,
  concurrency: number,
): Promise<Tally> {
  const faults = rowsOf(district.files.faults).map(([assetTag, fault]) => ({ assetTag: assetTag!, fault: fault as CustodyFault }));
  const ids = await deviceIds(
    districtId,
    faults.map((f) => f.assetTag),
  );
  const t = tally();
  await mapLimit(faults, concurrency, async ({ assetTag, fault }) => {
    const id = ids.get(assetTag);
    t.lines += 1;
    if (!id) return count(t, 'device_not_found');
    try {
      t.requests += 1;
      if (fault === 'broken' || fault === 'damaged') {
        await api.patch(`/api/v1/devices/${id}`, { condition: fault });
      } else {
        try {
          await api.post(`/api/v1/devices/${id}/repair-intake`, { problem: 'broken', issueLoaner: fault === 'repair_loaner' });
        } catch (error) {
          // No spare at the school: the device still goes in, the student waits without a loaner.
          if (!(error instanceof ApiError && error.code === 'no_loaner_available')) throw error;
          t.requests += 1;
          count(t, 'no_loaner_available');
          await api.post(`/api/v1/devices/${id}/repair-intake`, { problem: 'broken', issueLoaner: false });
        }
      }
      count(t, fault);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      count(t, `rejected:${error.code ?? error.status}`);
    }
  });
  return t;
}

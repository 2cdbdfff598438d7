import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { applyHotspotUsage, HOTSPOT_USAGE_COLUMNS } from '../../devices/devices-bulk.repository.js';
import { CellError, choice, date, megabytes, text, timestamp } from '../parsing/values.js';
import { iccid, imei } from './devices.js';
import { attempt, optional, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

const LINE_STATUSES = {
  active: 'active',
  activated: 'active',
  enabled: 'active',
  suspended: 'suspended',
  suspend: 'suspended',
  paused: 'suspended',
  summersuspended: 'suspended',
  hotlined: 'suspended',
  deactivated: 'deactivated',
  deactive: 'deactivated',
  inactive: 'deactivated',
  cancelled: 'deactivated',
  canceled: 'deactivated',
  terminated: 'deactivated',
} as const;

/** A day ("2020-10-05") is read as its start in UTC; a date-time as given. */
function usageTime(value: string): string {
  try {
    return timestamp(value);
  } catch {
    return `${date(value)}T00:00:00.000Z`;
  }
}

const phone = (value: string): string => {
  const digitsOnly = text(value, 30).replace(/\D/g, '');
  if (digitsOnly.length < 7) throw new CellError('not a phone number');
  return digitsOnly;
};

/**
 * A carrier portal's line export (Kajeet: IMEI, MDN, STATUS, MONTHLY_LIMIT, MONTHLY_AMOUNT_USED,
 * LAST_30_DAYS_USED, UICC; or imei, iccid, phone_number, line_status, cap_mb, used_mb, last_usage_at).
 * Each line is matched to a hotspot on IMEI, else ICCID, else phone number; a line matching none is a
 * row error. Usage is observed data, so it updates devices without audit rows.
 */
export function hotspotUsagePart(): Part {
  return {
    name: 'hotspot-usage',
    headers: {
      fields: [
        { field: 'imei' },
        { field: 'iccid', aliases: ['UICC', 'SIM'] },
        { field: 'phoneNumber', aliases: ['MDN', 'phone_number', 'Phone', 'Line Number'] },
        { field: 'lineStatus', aliases: ['STATUS', 'line_status', 'Line Status'] },
        { field: 'capMb', aliases: ['MONTHLY_LIMIT', 'cap_mb', 'Monthly Limit', 'Data Cap'] },
        { field: 'usedMb', aliases: ['MONTHLY_AMOUNT_USED', 'used_mb', 'Monthly Used', 'Data Used'] },
        { field: 'lastUsageAt', aliases: ['last_usage_at', 'Last Usage', 'Last Activity'] },
      ],
      anyOf: [['imei', 'iccid', 'phoneNumber']],
      // A rolling 30-day total says nothing about when a line was last used: usage is read from the monthly amount.
      ignored: [
        'LAST_30_DAYS_USED',
        'NICKNAME',
        'FILTER_GROUP',
        'SUMMER_STATUS',
        'DAILY_LIMIT',
        'DAY_AMOUNT_USED',
        'NETWORK',
        'MAC',
        'OEM_SERIAL_NUMBER',
      ],
    },
    columns: HOTSPOT_USAGE_COLUMNS,
    map(fields: Fields): Mapped {
      const errors: FieldProblem[] = [];
      const ids = {
        imei: attempt(errors, 'imei', () => optional(fields, 'imei', imei)),
        iccid: attempt(errors, 'iccid', () => optional(fields, 'iccid', iccid)),
        phone: attempt(errors, 'phoneNumber', () => optional(fields, 'phoneNumber', phone)),
      };
      const status = attempt(errors, 'lineStatus', () =>
        optional(fields, 'lineStatus', (v) => choice(v, LINE_STATUSES, 'line status (active, suspended, deactivated)')),
      );
      const cap = attempt(errors, 'capMb', () => optional(fields, 'capMb', megabytes));
      const used = attempt(errors, 'usedMb', () => optional(fields, 'usedMb', megabytes));
      const lastUsage = attempt(errors, 'lastUsageAt', () => optional(fields, 'lastUsageAt', usageTime));
      if (!errors.length && !ids.imei && !ids.iccid && !ids.phone) {
        errors.push({ field: 'imei', message: 'an IMEI, ICCID or phone number is required' });
      }
      return errors.length ? { errors } : { row: [ids.imei, ids.iccid, ids.phone, status, cap, used, lastUsage] };
    },
    apply: applyUsage,
  };
}

async function applyUsage(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  return { created: 0, updated: await applyHotspotUsage(em, stage, { districtId: ctx.districtId }) };
}

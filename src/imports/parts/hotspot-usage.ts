import type { EntityManager } from 'typeorm';
import type { BulkStage } from '../../database/bulk-stage.js';
import { applyHotspotUsage, HOTSPOT_USAGE_COLUMNS } from '../../devices/devices-bulk.repository.js';
import type { HeaderSpec } from '../parsing/headers.js';
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

/** Carrier portals in the US write "10/05/2020" or "10/05/2020 14:30": month first, read as UTC. */
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** A day ("2020-10-05", "10/05/2020") is read as its start in UTC; a date-time as given. */
function usageTime(value: string): string {
  const us = US_DATE.exec(value);
  if (us) {
    const [, month, day, year, hour = '0', minute = '0', second = '0'] = us;
    const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
    if (at.getUTCMonth() !== Number(month) - 1 || at.getUTCDate() !== Number(day) || Number(hour) > 23)
      throw new CellError('not a valid date');
    return at.toISOString();
  }
  try {
    return timestamp(value);
  } catch {
    return `${date(value)}T00:00:00.000Z`;
  }
}

/** A plan's cap from its name ("Student 10GB", "Unlimited"): null when it names none. */
function planCap(value: string): number | null {
  const match = /(\d+(?:\.\d+)?)\s*([mg]b)\b/i.exec(value);
  return match ? megabytes(`${match[1]} ${match[2]}`) : null;
}

const phone = (value: string): string => {
  const digitsOnly = text(value, 30).replace(/\D/g, '');
  if (digitsOnly.length < 7) throw new CellError('not a phone number');
  return digitsOnly;
};

/** Our fields of a carrier export, and the headers the carriers districts use give them. */
export const HOTSPOT_USAGE_HEADERS: HeaderSpec = {
  fields: [
    { field: 'imei', aliases: ['IMEI/MEID', 'MEID', 'Device IMEI', 'Equipment ID', 'Device ID'] },
    { field: 'iccid', aliases: ['UICC', 'SIM', 'SIM ID', 'SIM Number', 'SIM Card Number', 'ICCID Number'] },
    {
      field: 'phoneNumber',
      aliases: [
        'MDN',
        'phone_number',
        'Phone',
        'Line Number',
        'MSISDN',
        'Wireless Number',
        'Mobile Number',
        'Mobile Directory Number',
        'Subscriber Number',
        'Service Number',
        'CTN',
      ],
    },
    {
      field: 'lineStatus',
      aliases: ['STATUS', 'line_status', 'Line Status', 'Device Status', 'Subscriber Status', 'Service Status', 'SIM Status'],
    },
    {
      field: 'capMb',
      aliases: [
        'MONTHLY_LIMIT',
        'cap_mb',
        'Monthly Limit',
        'Data Cap',
        'Data Plan Cap',
        'Data Cap (MB)',
        'Data Plan Cap (MB)',
        'Plan Cap (MB)',
      ],
    },
    { field: 'capGb', aliases: ['Data Cap (GB)', 'Data Plan Cap (GB)', 'Plan Cap (GB)', 'Monthly Limit (GB)'] },
    { field: 'plan', aliases: ['Rate Plan', 'Data Plan', 'Price Plan', 'Plan Name'] },
    {
      field: 'usedMb',
      aliases: [
        'MONTHLY_AMOUNT_USED',
        'used_mb',
        'Monthly Used',
        'Data Used',
        'Data Usage',
        'Data Usage (MB)',
        'Data Used (MB)',
        'Usage (MB)',
        'Total Data Usage (MB)',
        'Usage MB',
      ],
    },
    { field: 'usedGb', aliases: ['Data Usage (GB)', 'Data Used (GB)', 'Usage (GB)', 'Total Data Usage (GB)', 'Usage GB'] },
    { field: 'usedKb', aliases: ['Usage (KB)', 'Data Usage (KB)', 'Data Used (KB)', 'Total Data Usage (KB)', 'Usage KB'] },
    {
      field: 'lastUsageAt',
      aliases: ['last_usage_at', 'Last Usage', 'Last Activity', 'Last Usage Date', 'Last Used', 'Last Activity Date', 'Last Data Usage'],
    },
  ],
  // A file from which no usage is read would "complete" having changed nothing anyone looks at.
  anyOf: [
    ['imei', 'iccid', 'phoneNumber'],
    ['usedMb', 'usedGb', 'usedKb', 'lastUsageAt'],
  ],
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
};

/**
 * A carrier portal's line export: Kajeet (IMEI, MDN, STATUS, MONTHLY_LIMIT, MONTHLY_AMOUNT_USED, UICC),
 * T-Mobile, Verizon and AT&T (IMEI, ICCID, MSISDN / Wireless Number, Line Status, Plan, Data Usage (MB)
 * or Data Used (GB) or Usage (KB), Last Usage Date), our own (imei, iccid, phone_number, line_status,
 * cap_mb, used_mb, last_usage_at), or any other the district mapped (import_mappings). Amounts are
 * converted from the unit their column names; a plan's cap is read from its name ("10GB") when no cap
 * column is given. Each line is matched to a hotspot on IMEI, else ICCID, else phone number; a line
 * matching none is a row error. Usage is observed data, so it updates devices without audit rows.
 */
export function hotspotUsagePart(): Part {
  return {
    name: 'hotspot-usage',
    plannedOn: ['devices'],
    headers: HOTSPOT_USAGE_HEADERS,
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
      const cap =
        fields['capMb'] !== undefined
          ? attempt(errors, 'capMb', () => megabytes(fields['capMb']))
          : fields['capGb'] !== undefined
            ? attempt(errors, 'capGb', () => megabytes(fields['capGb'], 'gb'))
            : attempt(errors, 'plan', () => optional(fields, 'plan', planCap));
      const used =
        fields['usedMb'] !== undefined
          ? attempt(errors, 'usedMb', () => megabytes(fields['usedMb']))
          : fields['usedGb'] !== undefined
            ? attempt(errors, 'usedGb', () => megabytes(fields['usedGb'], 'gb'))
            : attempt(errors, 'usedKb', () => optional(fields, 'usedKb', (v) => megabytes(v, 'kb')));
      const lastUsage = attempt(errors, 'lastUsageAt', () => optional(fields, 'lastUsageAt', usageTime));
      // The plan's name is kept too: the federal inventory names each line's plan beside its cap.
      const plan = attempt(errors, 'plan', () => optional(fields, 'plan', (v) => text(v, 200)));
      if (!errors.length && !ids.imei && !ids.iccid && !ids.phone) {
        errors.push({ field: 'imei', message: 'an IMEI, ICCID or phone number is required' });
      }
      return errors.length ? { errors } : { row: [ids.imei, ids.iccid, ids.phone, status, cap, used, lastUsage, plan] };
    },
    apply: applyUsage,
  };
}

async function applyUsage(em: EntityManager, stage: BulkStage, ctx: BatchContext): Promise<Applied> {
  return { created: 0, updated: await applyHotspotUsage(em, stage, { districtId: ctx.districtId }) };
}

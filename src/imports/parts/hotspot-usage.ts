import type { EntityManager } from 'typeorm';
import { one, sql } from '../../database/sql.js';
import { CellError, choice, date, megabytes, text, timestamp } from '../parsing/values.js';
import { iccid, imei } from './devices.js';
import { attempt, GOOD_ROWS, optional, type Applied, type BatchContext, type FieldProblem, type Fields, type Mapped, type Part } from './part.js';

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
      ignored: ['LAST_30_DAYS_USED', 'NICKNAME', 'FILTER_GROUP', 'SUMMER_STATUS', 'DAILY_LIMIT', 'DAY_AMOUNT_USED', 'NETWORK', 'MAC', 'OEM_SERIAL_NUMBER'],
      allowUnknown: true,
    },
    columns: [
      { name: 'imei', type: 'text' },
      { name: 'iccid', type: 'text' },
      { name: 'phone', type: 'text' },
      { name: 'line_status', type: 'text' },
      { name: 'cap_mb', type: 'integer' },
      { name: 'used_mb', type: 'integer' },
      { name: 'last_usage_at', type: 'timestamptz' },
    ],
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

async function applyUsage(em: EntityManager, ctx: BatchContext): Promise<Applied> {
  await sql(
    em,
    `CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
     SELECT st.*, coalesce(
       (SELECT d.id FROM devices d WHERE d.district_id = $1 AND d.kind = 'hotspot' AND d.imei = st.imei),
       (SELECT d.id FROM devices d WHERE d.district_id = $1 AND d.kind = 'hotspot' AND d.iccid = st.iccid),
       (SELECT (array_agg(d.id))[1] FROM devices d
        WHERE d.district_id = $1 AND d.kind = 'hotspot' AND st.phone IS NOT NULL AND d.phone_number IS NOT NULL
          AND regexp_replace(d.phone_number, '\\D', '', 'g') = st.phone
        HAVING count(*) = 1)
     ) AS device_id
     FROM import_stage st WHERE ${GOOD_ROWS}`,
    [ctx.districtId],
  );
  await sql(
    em,
    `INSERT INTO import_stage_errors (line, field, message)
     SELECT line, CASE WHEN imei IS NOT NULL THEN 'imei' WHEN iccid IS NOT NULL THEN 'iccid' ELSE 'phoneNumber' END,
            'no hotspot with ' || concat_ws(', ', 'IMEI ' || imei, 'ICCID ' || iccid, 'phone number ' || phone)
     FROM import_resolved WHERE device_id IS NULL
     UNION ALL
     SELECT line, 'imei', 'this line is for the same hotspot as line ' || last_line || ', which was used'
     FROM (SELECT line, max(line) OVER (PARTITION BY device_id) AS last_line FROM import_resolved WHERE device_id IS NOT NULL) d
     WHERE line < last_line`,
  );
  // Without a last-usage time from the carrier, usage that grew since the last file is taken as use now.
  const counts = await one<{ updated: number }>(
    em,
    `WITH good AS (
       SELECT r.* FROM import_resolved r WHERE NOT EXISTS (SELECT 1 FROM import_stage_errors e WHERE e.line = r.line)
     ), up AS (
       UPDATE devices d SET
         line_status = coalesce(g.line_status, d.line_status),
         monthly_cap_mb = coalesce(g.cap_mb, d.monthly_cap_mb),
         monthly_used_mb = coalesce(g.used_mb, d.monthly_used_mb),
         last_usage_at = CASE
           WHEN g.last_usage_at IS NOT NULL THEN greatest(d.last_usage_at, g.last_usage_at)
           WHEN g.used_mb > d.monthly_used_mb THEN now()
           ELSE d.last_usage_at END,
         updated_at = now()
       FROM good g
       WHERE d.id = g.device_id
         AND ((d.line_status, d.monthly_cap_mb, d.monthly_used_mb) IS DISTINCT FROM
              (coalesce(g.line_status, d.line_status), coalesce(g.cap_mb, d.monthly_cap_mb), coalesce(g.used_mb, d.monthly_used_mb))
              OR g.last_usage_at > coalesce(d.last_usage_at, '-infinity'))
       RETURNING d.id
     )
     SELECT count(*)::int AS updated FROM up`,
  );
  return { created: 0, updated: counts!.updated };
}

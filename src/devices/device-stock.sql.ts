import { q, raw, type SqlText } from '../database/sql.js';

/*
 * How custody moves devices out of stock and back, as data-modifying CTEs of custody's set-based
 * statements: the devices module stays the one writer of `devices`, and each custody change is still
 * one statement.
 */

/** A device custody may issue: in stock, or deployed to a holder no one has named yet (`holder_unknown`). */
export const ISSUABLE = `(d.status = 'in_stock' OR d.holder_unknown)`;

/**
 * Takes devices out of stock: `assigned`, or `loaner` for a loaner. Only devices still issuable change,
 * which is what lets exactly one of many concurrent issues win. `issued` names a relation with
 * "deviceId" and kind (an assignment kind); returns its rows whose device was taken, with the device's
 * kind and condition ("deviceKind", "deviceCondition").
 */
export function takeFromStock(districtId: string, issued: SqlText): SqlText {
  return q`UPDATE devices d SET status = CASE e.kind WHEN 'loaner' THEN 'loaner' ELSE 'assigned' END, holder_unknown = false,
           updated_at = now()
         FROM ${issued} e
         WHERE d.district_id = ${districtId} AND d.id = e."deviceId" AND ${raw(ISSUABLE)}
         RETURNING e.*, d.kind AS "deviceKind", d.condition AS "deviceCondition"`;
}

/**
 * Puts devices back in stock, in the condition they came back in (or their own, when that is null).
 * `returned` names a relation with device_id and returned_condition (ended assignments).
 */
export function returnToStock(returned: SqlText): SqlText {
  return q`UPDATE devices d SET status = 'in_stock', condition = coalesce(e.returned_condition, d.condition), updated_at = now()
         FROM ${returned} e
         WHERE d.id = e.device_id`;
}

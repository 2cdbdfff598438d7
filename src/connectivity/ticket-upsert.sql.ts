/**
 * Applies the temp table `desired_tickets` (student_id, school_id, type, reasons, priority, evidence,
 * gap_id) to the open tickets, with history and audit rows written by the same statements.
 * Parameters of both: $1 actor name, $2 actor token id, $3 request id, $4 ticket source.
 *
 * Only what differs is written, so a scan that finds nothing new writes nothing; the partial unique
 * index tickets_one_open_per_student_type makes a second open ticket impossible whatever runs at once.
 */
export const UPDATE_OPEN_TICKETS_SQL = `
WITH changed AS (
  UPDATE tickets t
  SET reasons = d.reasons, evidence = d.evidence, priority = d.priority, updated_at = now()
  FROM desired_tickets d, tickets o
  WHERE o.id = t.id AND t.student_id = d.student_id AND t.type = d.type
    AND t.status IN ('open','in_progress','waiting') AND t.reasons IS DISTINCT FROM d.reasons
  RETURNING t.id, t.district_id, o.reasons AS before, t.reasons AS after
), history AS (
  INSERT INTO ticket_events (ticket_id, actor, actor_token_id, kind, data)
  SELECT id, $1, $2, 'reasons_changed', jsonb_build_object('before', before, 'after', after, 'source', $4::text) FROM changed
)
INSERT INTO audit_events (actor, actor_token_id, request_id, district_id, entity_type, entity_id, action, before, after)
SELECT $1, $2, $3, district_id, 'ticket', id::text, 'update_reasons', jsonb_build_object('reasons', before), jsonb_build_object('reasons', after)
FROM changed`;

export const INSERT_NEW_TICKETS_SQL = `
WITH opened AS (
  INSERT INTO tickets (district_id, student_id, school_id, type, priority, reasons, evidence, source, gap_id, created_by)
  SELECT s.district_id, d.student_id, d.school_id, d.type, d.priority, d.reasons, d.evidence, $4, d.gap_id, $2
  FROM desired_tickets d JOIN students s ON s.id = d.student_id
  WHERE NOT EXISTS (
    SELECT 1 FROM tickets t WHERE t.student_id = d.student_id AND t.type = d.type AND t.status IN ('open','in_progress','waiting')
  )
  ON CONFLICT (student_id, type) WHERE status IN ('open','in_progress','waiting') AND type <> 'repair' DO NOTHING
  RETURNING id, district_id, student_id, type, reasons, priority, source
), history AS (
  INSERT INTO ticket_events (ticket_id, actor, actor_token_id, kind, data)
  SELECT id, $1, $2, 'opened', jsonb_build_object('reasons', reasons, 'source', source) FROM opened
)
INSERT INTO audit_events (actor, actor_token_id, request_id, district_id, entity_type, entity_id, action, after)
SELECT $1, $2, $3, district_id, 'ticket', id::text, 'create',
  jsonb_build_object('studentId', student_id, 'type', type, 'reasons', reasons, 'priority', priority, 'source', source)
FROM opened`;

/** Device and internet reasons that leave a student with nothing to learn on: these go first. */
export const URGENT_REASONS = ['no_device', 'device_broken', 'device_in_repair_no_loaner', 'device_disabled', 'no_internet', 'hotspot_suspended'];

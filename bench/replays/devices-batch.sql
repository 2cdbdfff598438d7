-- One Snipe-IT batch of :n new Chromebooks into district :code, as upsertDevices runs it (import_resolved,
-- the row-error checks with the `taken` probes of unique identifiers, then the upsert with an audit row
-- a device); rolled back. Variants of the trigram search index (devices_search_idx): as it is, a larger
-- pending list for the batch, fastupdate off, no index (the bound); and the upsert without audit rows.
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE import_stage (line integer NOT NULL, serial_number text, kind text, asset_tag text, model text, manufacturer text, school text,
  funding_source text, status_label text, status_key text, imei text, iccid text, phone_number text, carrier text, notes text, purchase_date date,
  purchase_cost numeric(12,2), order_number text, supplier text, warranty_end date, end_of_life date) ON COMMIT DROP;
CREATE TEMP TABLE import_stage_errors (line integer NOT NULL, field text, message text NOT NULL) ON COMMIT DROP;
INSERT INTO import_stage (line, serial_number, kind, asset_tag, model, manufacturer, school, funding_source, purchase_date)
SELECT g, 'NEWSN' || lpad(g::text, 7, '0'), 'chromebook', :'code' || '-NEW-' || lpad(g::text, 7, '0'), 'Dell Chromebook 3110', 'Dell',
       (SELECT code FROM schools WHERE district_id = :'district' ORDER BY code OFFSET (g % (SELECT count(*) FROM schools WHERE district_id = :'district')) LIMIT 1),
       'Everybody Learns', '2020-08-24'
FROM generate_series(1, :n) g;
ANALYZE import_stage;
\echo '--- import_resolved'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
CREATE TEMP TABLE import_resolved ON COMMIT DROP AS
SELECT st.*, coalesce(
       (SELECT x.serial_number FROM devices x WHERE x.district_id = :'district' AND lower(x.serial_number) = lower(st.serial_number)
        ORDER BY (x.serial_number = st.serial_number) DESC, x.id LIMIT 1),
       st.serial_number) AS known_serial, school.id AS school_id, true AS status_mapped, 'in_stock'::text AS status, NULL::text AS condition
FROM import_stage st
LEFT JOIN LATERAL (
  SELECT s.id FROM schools s
  WHERE s.district_id = :'district' AND st.school IS NOT NULL AND (s.code = st.school OR lower(s.name) = lower(st.school))
  ORDER BY (s.code = st.school) DESC, s.id LIMIT 1
) school ON true;
\echo '--- the taken checks (unique identifiers another device holds)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
INSERT INTO import_stage_errors (line, field, message)
SELECT r.line, 'assetTag', 'assetTag ' || r.asset_tag || ' already belongs to the device with serial ' || d.serial_number
FROM (SELECT * FROM import_resolved ORDER BY asset_tag) r
CROSS JOIN LATERAL (SELECT d.serial_number FROM devices d WHERE d.district_id = :'district' AND d.asset_tag = r.asset_tag AND d.serial_number <> r.known_serial LIMIT 1) d
UNION ALL
SELECT r.line, 'imei', 'x' || d.serial_number
FROM (SELECT * FROM import_resolved ORDER BY imei) r
CROSS JOIN LATERAL (SELECT d.serial_number FROM devices d WHERE d.district_id = :'district' AND d.imei = r.imei AND d.serial_number <> r.known_serial LIMIT 1) d
UNION ALL
SELECT r.line, 'iccid', 'x' || d.serial_number
FROM (SELECT * FROM import_resolved ORDER BY iccid) r
CROSS JOIN LATERAL (SELECT d.serial_number FROM devices d WHERE d.district_id = :'district' AND d.iccid = r.iccid AND d.serial_number <> r.known_serial LIMIT 1) d;
SAVEPOINT staged;
\echo '--- upsert as it is'
\ir devices-batch-upsert.inc
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert, pending list limit 64 MB for the batch'
SET LOCAL gin_pending_list_limit = '64MB';
\ir devices-batch-upsert.inc
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert, fastupdate off'
ALTER INDEX devices_search_idx SET (fastupdate = off);
\ir devices-batch-upsert.inc
ROLLBACK TO SAVEPOINT staged;
\echo '--- upsert without the trigram search index (the bound)'
DROP INDEX devices_search_idx;
\ir devices-batch-upsert.inc
ROLLBACK TO SAVEPOINT staged;
\echo '--- the insert alone: no old, no audit rows'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON)
INSERT INTO devices AS d (district_id, kind, serial_number, asset_tag, model, manufacturer, school_id, funding_source, status, condition, purchase_date)
SELECT :'district', kind, known_serial, asset_tag, model, manufacturer, school_id, funding_source, status, 'working', purchase_date FROM import_resolved
ON CONFLICT (district_id, serial_number) DO NOTHING;
ROLLBACK;

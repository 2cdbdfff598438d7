-- How a batch finds its rows' students and devices, as a join (the code before this file was added) and as
-- one probe of the key per row in key order (LEFT JOIN LATERAL … LIMIT 1 over the stage read sorted, as
-- the roster, login-event and device imports do since), on 20,000 existing students / devices of
-- district :code, picked at random; rolled back. In a district of 500,000 the join hashed every student
-- (device) of the district for each batch: its cost grew with the district, the probes' with the batch.
-- psql -h 127.0.0.1 -U postgres reconnect_bench -v code=BD001 -f bench/replays/city-lookups.sql
\timing on
SELECT id AS district FROM districts WHERE code = :'code' \gset
BEGIN;
SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true);
CREATE TEMP TABLE import_stage ON COMMIT DROP AS
SELECT row_number() OVER ()::int AS line, sourced_id, identifier, given_name, family_name, grade, email, enrollment_status
FROM (SELECT * FROM students WHERE district_id = :'district' ORDER BY md5(id::text) LIMIT 20000) x;
CREATE TEMP TABLE device_stage ON COMMIT DROP AS
SELECT row_number() OVER ()::int AS line, serial_number FROM (SELECT serial_number FROM devices WHERE district_id = :'district' ORDER BY md5(id::text) LIMIT 20000) x;
ANALYZE import_stage;
ANALYZE device_stage;
\echo '--- students by sourcedId, as a join (roster import_resolved, login events resolved)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT count(s.id), count(s.grade) FROM import_stage st LEFT JOIN students s ON s.district_id = :'district' AND s.sourced_id = st.sourced_id;
\echo '--- students by sourcedId, one probe a row, the whole row (roster)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT count(s.id), count(s.grade) FROM (SELECT * FROM import_stage ORDER BY sourced_id) st
LEFT JOIN LATERAL (SELECT x.id, x.grade FROM students x WHERE x.district_id = :'district' AND x.sourced_id = st.sourced_id LIMIT 1) s ON true;
\echo '--- students by sourcedId, one probe a row, the id only (login events: index-only)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT count(s.id) FROM (SELECT * FROM import_stage ORDER BY sourced_id) st
LEFT JOIN LATERAL (SELECT x.id FROM students x WHERE x.district_id = :'district' AND x.sourced_id = st.sourced_id LIMIT 1) s ON true;
\echo '--- devices by serial, as a join (device import old)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT count(d.id), count(d.model) FROM devices d JOIN device_stage g ON d.district_id = :'district' AND d.serial_number = g.serial_number;
\echo '--- devices by serial, one probe a row'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
SELECT count(d.id), count(d.model) FROM (SELECT * FROM device_stage ORDER BY serial_number) g
CROSS JOIN LATERAL (SELECT d.id, d.model FROM devices d WHERE d.district_id = :'district' AND d.serial_number = g.serial_number LIMIT 1) d;
SAVEPOINT before_update;
\echo '--- student attributes: the UPDATE as the import ran it (a join)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
UPDATE students s SET grade = st.grade, updated_at = now()
FROM import_stage st WHERE s.district_id = :'district' AND s.sourced_id = st.sourced_id;
ROLLBACK TO SAVEPOINT before_update;
\echo '--- student attributes: the same UPDATE, the batch keys as one array (the index scan the size of the batch)'
EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON, COSTS OFF)
UPDATE students s SET grade = st.grade, updated_at = now()
FROM import_stage st WHERE s.district_id = :'district' AND s.sourced_id = st.sourced_id
  AND s.sourced_id = ANY (ARRAY(SELECT sourced_id FROM import_stage));
ROLLBACK;

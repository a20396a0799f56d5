-- Keys and tenant columns compare and sort by code point, as on SQLite and on SQL Server after its 0003. Equality
-- in PostgreSQL is exact under any deterministic collation, but the database's default collation (a locale)
-- sorts linguistically, and a "starts with" filter is a half-open range that must hold exactly the strings
-- with the prefix. The "C" collation compares bytes, which in UTF-8 is code point order. Changing a column's
-- collation rebuilds the indexes on it, in the migration's transaction.
ALTER TABLE streams ALTER COLUMN stream_key TYPE varchar(300) COLLATE "C";
ALTER TABLE idempotency_keys ALTER COLUMN scope TYPE varchar(128) COLLATE "C";
ALTER TABLE idempotency_keys ALTER COLUMN request_id TYPE varchar(128) COLLATE "C";
ALTER TABLE request_log ALTER COLUMN project TYPE varchar(128) COLLATE "C";
ALTER TABLE request_log ALTER COLUMN request_id TYPE varchar(128) COLLATE "C";
ALTER TABLE tasks ALTER COLUMN project TYPE varchar(128) COLLATE "C";
ALTER TABLE tasks ALTER COLUMN target_uri TYPE varchar(400) COLLATE "C";
ALTER TABLE tasks ALTER COLUMN request_id TYPE varchar(128) COLLATE "C";
ALTER TABLE messages ALTER COLUMN project TYPE varchar(128) COLLATE "C";
ALTER TABLE messages ALTER COLUMN request_id TYPE varchar(128) COLLATE "C";
ALTER TABLE prov_steps ALTER COLUMN cluster_id TYPE varchar(128) COLLATE "C";
ALTER TABLE prov_steps ALTER COLUMN project TYPE varchar(128) COLLATE "C";
ALTER TABLE prov_events ALTER COLUMN cluster_id TYPE varchar(128) COLLATE "C";
ALTER TABLE prov_events ALTER COLUMN instance_id TYPE varchar(128) COLLATE "C";
ALTER TABLE guest_logs ALTER COLUMN instance_id TYPE varchar(128) COLLATE "C";
ALTER TABLE guest_logs ALTER COLUMN log_name TYPE varchar(128) COLLATE "C";
ALTER TABLE guest_logs ALTER COLUMN project TYPE varchar(128) COLLATE "C";

-- Key store of the reference server (cocoa.md §1.2, §3). One dialect for PGlite and PostgreSQL.
CREATE TABLE temporary_exposure_keys (
  id text PRIMARY KEY,                       -- v3: sha256hex(idempotency_key,keyData,rsn,rp); v1/v2: random
  key_data bytea NOT NULL,
  rolling_start_interval_number integer NOT NULL,
  rolling_period integer NOT NULL,
  transmission_risk_level integer NOT NULL,
  report_type integer,
  days_since_onset_of_symptoms integer,
  region text NOT NULL,
  received_ms bigint NOT NULL,
  exported boolean NOT NULL DEFAULT false
);
CREATE INDEX temporary_exposure_keys_pending ON temporary_exposure_keys (exported, rolling_start_interval_number);

CREATE TABLE registered_users (
  user_uuid text PRIMARY KEY,
  secret_sha256 text NOT NULL,
  created_ms bigint NOT NULL
);

-- COCOA's Cosmos `Sequence` "BatchNum".
CREATE SEQUENCE export_batch_num START 1;

-- Exports with their zip bytes: list.json and zips are served from here, written in the same
-- transaction that marks the keys exported, so a crash never half-publishes.
CREATE TABLE exports (
  batch_num integer PRIMARY KEY,
  region text NOT NULL,
  start_timestamp bigint NOT NULL,
  end_timestamp bigint NOT NULL,
  key_count integer NOT NULL,
  created_ms bigint NOT NULL,
  zip bytea NOT NULL
);
CREATE INDEX exports_region_created ON exports (region, created_ms);

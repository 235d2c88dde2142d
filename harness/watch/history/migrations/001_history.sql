-- The history of fixed-point observations (定点観測). One dialect for PGlite and PostgreSQL.
-- One row per observation run (one release against one target), written in one transaction.
CREATE TABLE watch_runs (
  id bigserial PRIMARY KEY,
  observed_at timestamptz NOT NULL,        -- the observer's clock when the observation started
  observer text NOT NULL,                  -- host name or --observer, to tell concurrent observers apart
  release text NOT NULL,
  apps jsonb NOT NULL,                     -- {android, ios} app builds the phones ran
  target_kind text NOT NULL,
  target_detail text NOT NULL,
  status text NOT NULL,                    -- passed | failed | timedout | interrupted | error
  error text,                              -- why no observation could be made (status error)
  duration_ms integer NOT NULL,
  server_version text,                     -- body of the version endpoint, when one was given
  config_hash text,                        -- sha256 of the configuration files the phones read
  batch_numbers jsonb NOT NULL,            -- export batch numbers listed after the observation
  result jsonb                             -- the run's results.json, for the report of any run
);
CREATE INDEX watch_runs_time ON watch_runs (observed_at, id);

-- One row per receiving phone of each cell: the unit the state machine reads.
CREATE TABLE watch_cells (
  id bigserial PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES watch_runs (id) ON DELETE CASCADE,
  scenario text NOT NULL,
  cell text NOT NULL,
  phone text NOT NULL,
  platform text NOT NULL,
  app text NOT NULL,
  passed boolean NOT NULL,
  status text NOT NULL,                    -- the cell's status
  first_broken_link text,
  errors jsonb NOT NULL
);
CREATE INDEX watch_cells_run ON watch_cells (run_id);
CREATE INDEX watch_cells_series ON watch_cells (scenario, platform);

CREATE TABLE watch_links (
  cell_id bigint NOT NULL REFERENCES watch_cells (id) ON DELETE CASCADE,
  ord smallint NOT NULL,
  name text NOT NULL,
  status text NOT NULL,
  detail text NOT NULL,
  text_ja text NOT NULL,
  text_en text NOT NULL,
  evidence jsonb,
  PRIMARY KEY (cell_id, ord)
);

-- Alerts sent (or due): one per state change of a series, one summary per day. The unique key makes
-- a second observer that sees the same change insert nothing, so nothing fires twice.
CREATE TABLE watch_alerts (
  id bigserial PRIMARY KEY,
  series text NOT NULL,
  run_id bigint REFERENCES watch_runs (id) ON DELETE CASCADE,
  kind text NOT NULL,                      -- failing | recovered | flapping | daily-summary
  created_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  delivered_at timestamptz,
  delivery_error text,
  UNIQUE (series, kind, run_id)
);
-- NULL run ids are distinct to UNIQUE: one summary per day needs its own index.
CREATE UNIQUE INDEX watch_alerts_daily ON watch_alerts (series) WHERE kind = 'daily-summary';

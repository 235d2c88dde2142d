-- Retry-safe uploads, keys exported once, batch numbers without gaps (server/README.md "Uploads").

-- One row per processing number that stored keys, written in the transaction that stores them:
-- the number is used up at this server exactly when its keys are stored. upload_sha256 identifies
-- the upload (number and keys) so that the identical retry gets the original success.
CREATE TABLE uploads (
  number_sha256 text PRIMARY KEY,
  upload_sha256 text NOT NULL,
  route text NOT NULL,
  key_count integer NOT NULL,
  received_ms bigint NOT NULL
);

-- A key (data + rolling start) is stored, and so exported, once, whichever upload sent it first.
DELETE FROM temporary_exposure_keys a USING temporary_exposure_keys b
  WHERE a.key_data = b.key_data AND a.rolling_start_interval_number = b.rolling_start_interval_number
    AND (a.exported, a.id) < (b.exported, b.id);
CREATE UNIQUE INDEX temporary_exposure_keys_key ON temporary_exposure_keys (key_data, rolling_start_interval_number);

-- Pending keys by the end of their rolling period (the export embargo).
CREATE INDEX temporary_exposure_keys_pending_end ON temporary_exposure_keys ((rolling_start_interval_number + rolling_period)) WHERE exported = false;

-- Batch numbers: a counter row updated inside the publish transaction, so a rolled-back publish takes
-- no number (a sequence's nextval would: a gap) and deleted old exports free none (max + 1 would reuse).
CREATE TABLE export_batch_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_batch_num integer NOT NULL
);
INSERT INTO export_batch_counter (singleton, last_batch_num)
  SELECT true, GREATEST(
    (SELECT coalesce(max(batch_num), 0) FROM exports),
    (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM export_batch_num));

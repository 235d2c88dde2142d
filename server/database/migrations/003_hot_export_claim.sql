-- Publishing claims each key by setting exported = true. While an index names that column (in its
-- columns or its predicate), every claim writes a new entry into every index of the table; with
-- none, PostgreSQL updates the row in place on its page (a heap-only tuple), which made publishing
-- 10^6 keys several times faster (server/README.md "Publishing"). Pending keys are found by rolling
-- start instead: a publish reads the retention window's keys of each day and skips exported ones.
DROP INDEX temporary_exposure_keys_pending;
DROP INDEX temporary_exposure_keys_pending_end;
CREATE INDEX temporary_exposure_keys_rolling_start ON temporary_exposure_keys (rolling_start_interval_number);
-- Room on each page for the claimed version of its rows, so the update can stay on the page.
ALTER TABLE temporary_exposure_keys SET (fillfactor = 50);

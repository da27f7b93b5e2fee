-- The outbox's due index holds pending jobs only. Every job is claimed and
-- finished once; with done and failed jobs in the index too, each of those
-- steps moved an entry inside an index that grew with the whole history.
-- Claims read pending jobs in due order, oldest first; failed jobs are
-- counted for GET /metrics (their own, small index). (SQLite keeps the
-- rowid, the id, in every index entry: due order, then id.)
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (due_at_ms) WHERE state = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE state = 'failed';

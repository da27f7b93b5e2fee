-- Outbox due times in milliseconds: a debounced root-message refresh is due
-- 300 ms after the change that asked for it.
ALTER TABLE outbox RENAME COLUMN next_attempt_at TO due_at_ms;
UPDATE outbox SET due_at_ms = due_at_ms * 1000;

-- At most one pending job per purpose: however many captures ask for their
-- session's root message to be refreshed, one refresh is queued, and it reads
-- the counts when it runs. A claim clears the key, so a change made while a
-- refresh runs queues the next one.
ALTER TABLE outbox ADD COLUMN dedupe_key TEXT COLLATE "C";
CREATE UNIQUE INDEX outbox_pending_key ON outbox (dedupe_key)
    WHERE state = 'pending' AND dedupe_key IS NOT NULL;

-- Who holds a claimed job's lease (NULL: nobody). While leased, a job's due
-- time is its lease's end, so a job whose runner died is claimed again then.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT COLLATE "C";

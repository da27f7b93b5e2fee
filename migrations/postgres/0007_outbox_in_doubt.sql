-- Exactly once through a crash: a job whose last attempt may have made its
-- call without wb hearing the answer (the process died, a lease expired, the
-- call timed out) is in doubt from the moment that attempt ended. Its next
-- attempt first asks Slack whether the post is there (wb tags its posts with
-- the job's id in message metadata) and adopts it instead of posting again.
-- NULL: not in doubt; otherwise unix ms, so a search of the channel made
-- after that moment is known to cover the attempt.
ALTER TABLE outbox ADD COLUMN in_doubt_since_ms BIGINT;

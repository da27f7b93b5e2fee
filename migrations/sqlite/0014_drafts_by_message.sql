-- A reply in a session's thread reads, with its session, whether its
-- message is stored already (a Slack retry, or the same message delivered
-- again: src/flows/events.rs). Questions and entries are found by their
-- message's ts; a draft was found only through its session's versions,
-- each row read for its ts: hundreds in a session drafted many times. Only
-- `PR:` replies have a message, so only they enter this index.
CREATE INDEX drafts_by_message ON drafts (message_ts) WHERE message_ts IS NOT NULL;

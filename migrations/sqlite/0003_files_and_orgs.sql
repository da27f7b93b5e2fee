-- Real Slack payloads (issue 19): files attached to thread replies, and the
-- Enterprise Grid org a session belongs to.

-- The org (E…) of the workspace a session was started in; NULL outside an
-- Enterprise Grid org, and for sessions stored before this migration. With
-- team_id it is what an installation's isolation keys on: an org-wide install
-- serves every workspace of its org.
ALTER TABLE sessions ADD COLUMN enterprise_id TEXT;

-- Files attached to a captured thread message (a `file_share` reply: a
-- screenshot under "Q: does this layout work?"). Keyed by the message, not by
-- what it became, so a reply re-classified by an edit (discussion → question)
-- keeps its files. Names and permalinks only: wb never downloads a file. An
-- edit replaces a message's list (a file removed in Slack leaves it).
CREATE TABLE message_files (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    message_ts  TEXT NOT NULL,
    position    INTEGER NOT NULL,             -- Slack's order in the message
    file_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    permalink   TEXT,
    PRIMARY KEY (session_id, message_ts, position)
);

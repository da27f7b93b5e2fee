-- Real Slack payloads (issue 19): files attached to thread replies, and the
-- Enterprise Grid org a session belongs to.

-- The org (E…) of the workspace a session was started in; NULL outside an
-- Enterprise Grid org, and for sessions stored before this migration. With
-- team_id it is what an installation's isolation keys on: an org-wide install
-- serves every workspace of its org.
ALTER TABLE sessions ADD COLUMN enterprise_id TEXT COLLATE "C";

-- Files attached to a captured thread message (a `file_share` reply: a
-- screenshot under "Q: does this layout work?"). Keyed by the message, not by
-- what it became, so a reply re-classified by an edit (discussion → question)
-- keeps its files. Names and permalinks only: wb never downloads a file. An
-- edit replaces a message's list (a file removed in Slack leaves it).
CREATE TABLE message_files (
    session_id  BIGINT NOT NULL REFERENCES sessions (id),
    message_ts  TEXT COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,             -- Slack's order in the message
    file_id     TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    permalink   TEXT COLLATE "C",
    PRIMARY KEY (session_id, message_ts, position)
);

-- wb's schema for the whole product. Timestamps are RFC 3339 UTC text
-- ("2026-11-21T21:38:48Z"); Slack ids and message ts are kept as Slack sends them.
-- Rows written by users are never deleted: a Slack deletion sets deleted_at.

-- A Working Backwards session: one idea, one Slack thread (its root message).
CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id          TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    thread_ts        TEXT NOT NULL,           -- ts of the root message = the thread
    title            TEXT NOT NULL,           -- the full idea (the header shows ≤150 chars)
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    last_activity_at TEXT NOT NULL,           -- picks the channel's "current" session
    permalink        TEXT,                    -- chat.getPermalink, cached by the export
    UNIQUE (channel_id, thread_ts)
);
CREATE INDEX sessions_by_channel ON sessions (team_id, channel_id, last_activity_at);

-- Press-release drafts: every save is a new immutable version.
CREATE TABLE drafts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    version         INTEGER NOT NULL,
    author          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('modal', 'thread', 'start')),
    message_ts      TEXT,                     -- the thread message of a `PR:` draft
    headline        TEXT,
    subheadline     TEXT,
    dateline_city   TEXT,
    launch_date     TEXT,                     -- YYYY-MM-DD
    summary         TEXT,
    problem         TEXT,
    solution        TEXT,
    leader_quote    TEXT,
    getting_started TEXT,
    customer_quote  TEXT,
    call_to_action  TEXT,
    body            TEXT,                     -- free text (a `PR:` reply)
    deleted_at      TEXT,
    UNIQUE (session_id, version)
);

-- FAQ questions, external (customers) or internal (stakeholders).
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    audience    TEXT NOT NULL CHECK (audience IN ('external', 'internal')),
    question    TEXT NOT NULL,
    asked_by    TEXT,                          -- NULL when asked anonymously
    asked_at    TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('thread', 'command', 'modal', 'shortcut')),
    message_ts  TEXT,                          -- the thread message holding the question
    updated_at  TEXT,
    deleted_at  TEXT
);
CREATE INDEX questions_by_session ON questions (session_id);
CREATE INDEX questions_by_message ON questions (message_ts);

-- One vote per user per question; a removed reaction deletes exactly that row.
CREATE TABLE question_votes (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    user_id     TEXT NOT NULL,
    voted_at    TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);

-- Answers keep their history; the latest one is the answer.
CREATE TABLE answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    answer      TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX answers_by_question ON answers (question_id);

-- Customer-experience stories, user-manual sections and plain thread discussion.
CREATE TABLE entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    kind        TEXT NOT NULL CHECK (kind IN ('customer_experience', 'concept', 'howto', 'reference', 'discussion')),
    body        TEXT NOT NULL,
    author      TEXT,
    created_at  TEXT NOT NULL,
    message_ts  TEXT,
    updated_at  TEXT,
    deleted_at  TEXT
);
CREATE INDEX entries_by_session ON entries (session_id, kind);
CREATE INDEX entries_by_message ON entries (message_ts);

-- Slack event_ids already processed: retries (even after a restart) are stored once.
CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

-- Durable outbox: every Web API action the bot owes is written here before it is
-- attempted, retried with backoff, and resumed after a restart.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job             TEXT NOT NULL,             -- JSON, see src/slack/jobs.rs
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,          -- unix seconds
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    last_error      TEXT,
    finished_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Display names resolved with users.info, for the export.
CREATE TABLE users (
    team_id      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

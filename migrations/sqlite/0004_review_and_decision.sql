-- The process ends in a decision (SPEC §5.1): a session's status, its review
-- meetings (silent reading, comments per section) and its decisions.

-- drafting → in_review (a review is scheduled or running) → decided (go or
-- no_go); an `iterate` decision sends the session back to drafting. Existing
-- sessions are drafting.
ALTER TABLE sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'drafting'
    CHECK (status IN ('drafting', 'in_review', 'decided'));

-- One review meeting: the draft version it reads (pinned when it is scheduled,
-- NULL when there was no draft yet), when reading starts and for how long.
-- Its timers (start, end, the 24 h and 1 h reminders) are outbox jobs with due
-- times; these columns say which of them still matter (a timer of a review
-- replaced before it started is marked done with last_error 'canceled', and
-- does nothing if it runs anyway).
CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    version         INTEGER,
    scheduled_at    TEXT NOT NULL,            -- when silent reading starts (RFC 3339)
    reading_minutes INTEGER NOT NULL CHECK (reading_minutes BETWEEN 1 AND 120),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT,                     -- reading started (the job may run late)
    ends_at         TEXT,                     -- when reading is due to end, once started
    ended_at        TEXT,                     -- reading ended: comments were posted
    ended_by        TEXT,                     -- who ended it; NULL when the time ran out
    canceled_at     TEXT,                     -- replaced, canceled or decided before it started
    replaced_by     INTEGER,                  -- the review that replaced this one
    reading_ts      TEXT                      -- the thread message with Comment / End reading
);
CREATE INDEX reviews_by_session ON reviews (session_id, id);

-- The reviewers picked in the review form, in the order picked.
CREATE TABLE review_reviewers (
    review_id INTEGER NOT NULL REFERENCES reviews (id),
    user_id   TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (review_id, user_id)
) WITHOUT ROWID;
CREATE INDEX review_reviewers_by_user ON review_reviewers (user_id);

-- Comments written during silent reading, per section. Nobody else sees them
-- until reading ends; a comment written after that is `late` and posted at once.
CREATE TABLE review_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id  INTEGER NOT NULL REFERENCES reviews (id),
    section    TEXT NOT NULL CHECK (section IN ('headline', 'subheadline', 'summary', 'problem',
                   'solution', 'leader_quote', 'getting_started', 'customer_quote',
                   'call_to_action', 'faq', 'general')),
    body       TEXT NOT NULL,                 -- verbatim, however long
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    late       INTEGER NOT NULL DEFAULT 0     -- written after reading ended
);
CREATE INDEX review_comments_by_review ON review_comments (review_id, id);

-- Every decision is kept; the latest one is the session's decision.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    outcome    TEXT NOT NULL CHECK (outcome IN ('go', 'iterate', 'no_go')),
    rationale  TEXT NOT NULL,
    next_steps TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    version    INTEGER,                       -- the draft decided on; NULL before any draft
    review_id  INTEGER REFERENCES reviews (id)
);
CREATE INDEX decisions_by_session ON decisions (session_id, id);

-- Modal submissions already acted on (the view's id): Slack may deliver one
-- twice, and a double submit must not schedule two reviews or record two
-- decisions.
CREATE TABLE processed_submissions (
    view_key    TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

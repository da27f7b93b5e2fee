-- FAQ triage (issue 12, SPEC §5.2): every question has a state, an optional
-- owner and, when internal, one of Bill Carr's four families; a duplicate is
-- merged into the question it repeats. Daily reminders are stored per session.

-- open → answered (by answering) / needs_data / wont_answer / merged; any of
-- them can be re-opened. Questions answered before this migration are answered.
ALTER TABLE questions ADD COLUMN state TEXT COLLATE "C" NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'answered', 'needs_data', 'wont_answer', 'merged'));
UPDATE questions SET state = 'answered'
 WHERE EXISTS (SELECT 1 FROM answers a WHERE a.question_id = questions.id);

-- The one user asked to answer it (a Slack user id), or NULL.
ALTER TABLE questions ADD COLUMN owner TEXT COLLATE "C";

-- customer | solution | economics | risks, for internal questions: guessed from
-- the words at capture (family_by NULL, re-guessed when the text is edited) or
-- set by a person in Triage (family_by = who). NULL on an internal question
-- captured before this migration: the guess is made when it is read.
ALTER TABLE questions ADD COLUMN family TEXT COLLATE "C"
    CHECK (family IN ('customer', 'solution', 'economics', 'risks'));
ALTER TABLE questions ADD COLUMN family_by TEXT COLLATE "C";

-- A merged duplicate points at the question it was merged into (never at
-- another duplicate). Votes stay on the question they were cast on: the kept
-- question counts the distinct voters of itself and its duplicates, so a
-- person who voted on both counts once and un-merging restores both sets.
ALTER TABLE questions ADD COLUMN merged_into BIGINT REFERENCES questions (id);
CREATE INDEX questions_by_kept ON questions (merged_into) WHERE merged_into IS NOT NULL;

-- One daily digest per session, at a wall-clock time in the time zone of the
-- person who set it (from users.info). The due digest itself is an outbox job
-- (kind `remind`, dedupe key `remind:<session>`) carrying `generation`: a job
-- whose generation is not the row's current one was replaced and does nothing.
CREATE TABLE reminders (
    session_id  BIGINT PRIMARY KEY REFERENCES sessions (id),
    at_time     TEXT COLLATE "C" NOT NULL,             -- HH:MM, 24-hour clock
    tz          TEXT COLLATE "C",                      -- IANA name; NULL while users.info is asked
    set_by      TEXT COLLATE "C" NOT NULL,
    set_at      TEXT COLLATE "C" NOT NULL,
    enabled     BIGINT NOT NULL DEFAULT 1,
    generation  BIGINT NOT NULL,          -- bumped by every change, never reused
    next_due_ms BIGINT                    -- unix ms of the next digest; NULL when none
);

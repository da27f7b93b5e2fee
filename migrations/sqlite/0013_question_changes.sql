-- A session's question counts (on its root message, refreshed about once a
-- second while its thread is busy) are kept in memory with the question id
-- they were read up to, and the next read counts only newer questions —
-- unless a question of the session changed in a way that moves the counts
-- (state, owner, session, deletion). These triggers count such changes on
-- the session, so a read that finds the count moved counts in full
-- (src/store/counts.rs). New questions fire neither trigger.
--
-- Migration 0011 edited the sessions table's text in place; a connection
-- that ran it still holds the table as parsed before, and adding a column
-- would splice the new one in at the old text's offsets. RESET makes this
-- connection read the schema again first.
PRAGMA writable_schema = RESET;
ALTER TABLE sessions ADD COLUMN question_changes INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER questions_counted_changed
AFTER UPDATE OF session_id, state, owner, deleted_at ON questions
BEGIN
    UPDATE sessions SET question_changes = question_changes + 1
     WHERE id = OLD.session_id;
    -- (Two statements: an OR of two ids would build a temporary table.)
    UPDATE sessions SET question_changes = question_changes + 1
     WHERE id = NEW.session_id AND NEW.session_id <> OLD.session_id;
END;

CREATE TRIGGER questions_counted_removed
AFTER DELETE ON questions
BEGIN
    UPDATE sessions SET question_changes = question_changes + 1
     WHERE id = OLD.session_id;
END;

-- A session's question counts (on its root message, refreshed while the
-- thread is busy, and on the Home tab) and its internal questions' coverage
-- are read from this index: live questions by audience, state and owner,
-- without fetching a row (coverage fetches internal questions' rows only).
-- It replaces the plain (session_id) index, whose queries it serves as well.
DROP INDEX questions_by_session;
CREATE INDEX questions_by_session ON questions (session_id, deleted_at, audience, state, owner);

-- A session's question counts (on its root message, refreshed while the
-- thread is busy, and on the Home tab) are read from this index alone:
-- live questions by state (one range each) and owner. Coverage filters on
-- audience inside it and fetches internal questions' rows only. It replaces
-- the plain (session_id) index, whose queries it serves as well.
DROP INDEX questions_by_session;
CREATE INDEX questions_by_session ON questions (session_id, deleted_at, state, owner, audience);

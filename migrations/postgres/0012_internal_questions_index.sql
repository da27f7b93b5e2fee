-- A session's FAQ coverage (on its root message, refreshed about once a
-- second while the thread is busy) counts its live internal questions by
-- family. In `questions_by_session` audience comes last, so finding them
-- meant reading every live question of the session: 25 ms in a thread of
-- 180,000 questions, once a second. This index holds internal questions
-- only, so coverage reads just those (external questions never enter it).
CREATE INDEX questions_internal ON questions (session_id, state, family)
    WHERE audience = 'internal' AND deleted_at IS NULL;

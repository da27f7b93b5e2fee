-- The column SQLite's migration 0013 adds, so both schemas hold the same
-- tables and columns (`wb migrate-data` copies them by name). On PostgreSQL
-- question ids are taken before commit, not in commit order, so a session's
-- counts are always read in full and this count is not kept up
-- (src/store/counts.rs).
ALTER TABLE sessions ADD COLUMN question_changes BIGINT NOT NULL DEFAULT 0;

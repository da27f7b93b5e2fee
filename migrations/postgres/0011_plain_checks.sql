-- The SQLite migration of this number rewrites CHECK constraints that
-- SQLite evaluates slowly; PostgreSQL's are unchanged. Both backends keep
-- only the sessions of Enterprise Grid orgs in `sessions_by_enterprise`:
-- every query of it asks for one org.
DROP INDEX sessions_by_enterprise;
CREATE INDEX sessions_by_enterprise ON sessions (enterprise_id) WHERE enterprise_id IS NOT NULL;

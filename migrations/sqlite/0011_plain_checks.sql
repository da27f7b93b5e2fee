-- Two changes to what every write pays for, neither rewriting a row.
--
-- 1. A CHECK of the form `x IN ('a', 'b', 'c')` (three values or more) makes
--    SQLite build a temporary b-tree of the list each time a row is checked:
--    about 2.7 µs per insert or update of the column, several per slash
--    command or thread question. Each such CHECK becomes the same test
--    written as `x = 'a' OR x = 'b' OR x = 'c'`, which SQLite evaluates in
--    place. Every stored row satisfies both forms (they accept the same
--    values, NULL included), so the table definitions are edited where
--    SQLite keeps them, the procedure SQLite documents for changing CHECK
--    constraints (https://www.sqlite.org/lang_altertable.html#otheralter):
--    no table is copied, whatever the size of the database.
-- 2. `sessions_by_enterprise` keeps only the sessions of Enterprise Grid
--    orgs: every query of it asks for one org, and the other sessions (most,
--    in most installs) no longer add an entry to it. Recreating it also
--    changes the schema's version, so every connection opened before reads
--    the edited definitions.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (status IN (''drafting'', ''in_review'', ''decided''))',
    'CHECK (status = ''drafting'' OR status = ''in_review'' OR status = ''decided'')')
 WHERE type = 'table' AND name = 'sessions';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (source IN (''modal'', ''thread'', ''start''))',
    'CHECK (source = ''modal'' OR source = ''thread'' OR source = ''start'')')
 WHERE type = 'table' AND name = 'drafts';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (source IN (''thread'', ''command'', ''modal'', ''shortcut''))',
    'CHECK (source = ''thread'' OR source = ''command'' OR source = ''modal'' OR source = ''shortcut'')')
 WHERE type = 'table' AND name = 'questions';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (state IN (''open'', ''answered'', ''needs_data'', ''wont_answer'', ''merged''))',
    'CHECK (state = ''open'' OR state = ''answered'' OR state = ''needs_data'' OR state = ''wont_answer'' OR state = ''merged'')')
 WHERE type = 'table' AND name = 'questions';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (family IN (''customer'', ''solution'', ''economics'', ''risks''))',
    'CHECK (family = ''customer'' OR family = ''solution'' OR family = ''economics'' OR family = ''risks'')')
 WHERE type = 'table' AND name = 'questions';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (kind IN (''customer_experience'', ''concept'', ''howto'', ''reference'', ''discussion''))',
    'CHECK (kind = ''customer_experience'' OR kind = ''concept'' OR kind = ''howto'' OR kind = ''reference'' OR kind = ''discussion'')')
 WHERE type = 'table' AND name = 'entries';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (state IN (''pending'', ''done'', ''failed''))',
    'CHECK (state = ''pending'' OR state = ''done'' OR state = ''failed'')')
 WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (section IN (''headline'', ''subheadline'', ''summary'', ''problem'',
                   ''solution'', ''leader_quote'', ''getting_started'', ''customer_quote'',
                   ''call_to_action'', ''faq'', ''general''))',
    'CHECK (section = ''headline'' OR section = ''subheadline'' OR section = ''summary'' OR section = ''problem'' OR section = ''solution'' OR section = ''leader_quote'' OR section = ''getting_started'' OR section = ''customer_quote'' OR section = ''call_to_action'' OR section = ''faq'' OR section = ''general'')')
 WHERE type = 'table' AND name = 'review_comments';
UPDATE sqlite_master SET sql = replace(sql,
    'CHECK (outcome IN (''go'', ''iterate'', ''no_go''))',
    'CHECK (outcome = ''go'' OR outcome = ''iterate'' OR outcome = ''no_go'')')
 WHERE type = 'table' AND name = 'decisions';

PRAGMA writable_schema = OFF;

DROP INDEX sessions_by_enterprise;
CREATE INDEX sessions_by_enterprise ON sessions (enterprise_id) WHERE enterprise_id IS NOT NULL;

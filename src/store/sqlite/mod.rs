//! The SQLite backend: one writer thread (`writer`), a few reader threads
//! (`readers`), and migrations from `migrations/sqlite/` applied at open.

mod checkpoint;
pub(crate) mod columns;
pub mod readers;
pub(crate) mod statements;
pub mod writer;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrate;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::Connection;

use super::error::{StoreError, StoreResult};
use super::queue::Writer;
use crate::clock::Clock;

/// Embedded migrations.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Reader threads (and read-only connections) per process.
const READERS: usize = 4;

/// The SQLite database file named by `database_url` (`sqlite://path.db`).
pub fn path_of(database_url: &str) -> StoreResult<PathBuf> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| StoreError::Internal(format!("not a SQLite URL: {e}")))?;
    Ok(options.get_filename().to_path_buf())
}

/// Creates the database if missing (WAL mode) and applies pending migrations.
/// A database migrated by a newer wb is refused, naming both versions.
pub async fn migrate(database_url: &str) -> StoreResult<()> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| StoreError::Internal(format!("not a SQLite URL: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot open the database: {e}")))?;
    let result = async {
        check_not_newer(&mut conn).await?;
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Internal(format!("applying migrations: {e}")))
    }
    .await;
    let _ = conn.close().await;
    result
}

/// The highest migration this build knows.
pub fn latest_known() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

async fn check_not_newer(conn: &mut sqlx::SqliteConnection) -> StoreResult<()> {
    conn.ping().await?;
    conn.ensure_migrations_table()
        .await
        .map_err(|e| StoreError::Internal(format!("reading applied migrations: {e}")))?;
    let applied = conn
        .list_applied_migrations()
        .await
        .map_err(|e| StoreError::Internal(format!("reading applied migrations: {e}")))?;
    let newest = applied.iter().map(|m| m.version).max().unwrap_or(0);
    let known = latest_known();
    if newest > known {
        return Err(StoreError::Internal(format!(
            "the database's schema is version {newest}, newer than this wb knows (version {known}); run the newer wb, or restore a backup"
        )));
    }
    Ok(())
}

/// Opens the writer and the readers on an existing, migrated database.
pub fn open(database_url: &str, clock: &Clock) -> StoreResult<(Writer, readers::Readers)> {
    let path = path_of(database_url)?;
    let writer = writer::start(&path, clock.clone())?;
    let readers = readers::Readers::start(&path, READERS, clock.clone())?;
    Ok((writer, readers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opcodes SQLite compiles `sql` to, on a fresh connection.
    fn opcodes(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
        let mut statement = conn.prepare(&format!("EXPLAIN {sql}")).expect("explain");
        let count = statement.parameter_count();
        let nulls = vec![rusqlite::types::Null; count];
        statement
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(1))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("opcodes")
    }

    #[tokio::test]
    async fn no_check_builds_a_temporary_table_and_checks_still_refuse_bad_values() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("wb.db").display());
        migrate(&url).await.expect("migrates");
        let conn = rusqlite::Connection::open(path_of(&url).expect("path")).expect("open");
        // Every write of the slash-command and thread-question paths.
        for sql in [
            "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at, enterprise_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, message_ts, family) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            "INSERT INTO outbox (job, created_at, due_at_ms, dedupe_key) VALUES ($1, $2, $3, $4)",
            "UPDATE outbox SET state = 'done', finished_at = $1 WHERE id = $2",
            "UPDATE questions SET state = $1 WHERE id = $2",
            "UPDATE sessions SET status = $1 WHERE id = $2",
        ] {
            let ops = opcodes(&conn, sql);
            assert!(ops.iter().any(|o| o == "Insert"), "compiled: {sql}");
            assert!(
                !ops.iter().any(|o| o == "OpenEphemeral"),
                "a temporary table in: {sql}"
            );
        }
        // An `IN (…)` list of three values or more left in a table's definition.
        let mut statement = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            .expect("schema");
        let tables: Vec<(String, String)> = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("tables")
            .collect::<Result<_, _>>()
            .expect("tables");
        for (name, sql) in &tables {
            for list in sql.split(" IN (").skip(1) {
                let list = list.split(')').next().unwrap_or_default();
                assert!(list.matches(',').count() < 2, "{name}: IN ({list})");
            }
        }
        assert!(tables.len() > 10, "the schema was read");
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity");
        assert_eq!(integrity, "ok");
        // The rewritten checks refuse what the old ones refused, and allow NULL.
        conn.execute(
            "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at) VALUES (1, 'T1', 'C1', '1.000100', 'Idea', 'U1', 'now', 'now')",
            [],
        )
        .expect("a session");
        for (sql, ok) in [
            ("UPDATE sessions SET status = 'decided' WHERE id = 1", true),
            ("UPDATE sessions SET status = 'shelved' WHERE id = 1", false),
            ("INSERT INTO outbox (job, created_at, due_at_ms, state) VALUES ('{}', 'now', 0, 'done')", true),
            ("INSERT INTO outbox (job, created_at, due_at_ms, state) VALUES ('{}', 'now', 0, 'lost')", false),
            ("INSERT INTO questions (session_id, audience, question, asked_at, source, family) VALUES (1, 'internal', 'Q?', 'now', 'thread', NULL)", true),
            ("INSERT INTO questions (session_id, audience, question, asked_at, source, family) VALUES (1, 'internal', 'Q?', 'now', 'thread', 'legal')", false),
            ("INSERT INTO questions (session_id, audience, question, asked_at, source, state) VALUES (1, 'external', 'Q?', 'now', 'email', 'open')", false),
            ("INSERT INTO decisions (session_id, outcome, rationale, decided_by, decided_at) VALUES (1, 'maybe', 'Why', 'U1', 'now')", false),
        ] {
            match conn.execute(sql, []) {
                Ok(_) => assert!(ok, "allowed: {sql}"),
                Err(err) => assert!(
                    !ok && err.to_string().contains("CHECK constraint failed"),
                    "{sql}: {err}"
                ),
            }
        }
    }
}

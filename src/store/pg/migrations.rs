//! `migrations/postgres/`, embedded, and their application: each in its own
//! transaction, recorded in `wb_migrations`, under an advisory lock so that
//! replicas starting together apply them once.

use super::conn::{PgConn, Settings};
use crate::store::error::{StoreError, StoreResult};

/// Every migration: (version, description, SQL), in order. The numbers are
/// SQLite's (`migrations/sqlite/`); a test checks both lists match the files.
pub(super) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "outbox due ms",
        include_str!("../../../migrations/postgres/0002_outbox_due_ms.sql"),
    ),
    (
        3,
        "files and orgs",
        include_str!("../../../migrations/postgres/0003_files_and_orgs.sql"),
    ),
    (
        4,
        "review and decision",
        include_str!("../../../migrations/postgres/0004_review_and_decision.sql"),
    ),
    (
        5,
        "faq triage",
        include_str!("../../../migrations/postgres/0005_faq_triage.sql"),
    ),
    (
        7,
        "outbox in doubt",
        include_str!("../../../migrations/postgres/0007_outbox_in_doubt.sql"),
    ),
    (
        8,
        "installations",
        include_str!("../../../migrations/postgres/0008_installations.sql"),
    ),
    (
        9,
        "outbox pending index",
        include_str!("../../../migrations/postgres/0009_outbox_pending_index.sql"),
    ),
    (
        10,
        "question counts index",
        include_str!("../../../migrations/postgres/0010_question_counts_index.sql"),
    ),
    (
        11,
        "plain checks",
        include_str!("../../../migrations/postgres/0011_plain_checks.sql"),
    ),
    (
        12,
        "internal questions index",
        include_str!("../../../migrations/postgres/0012_internal_questions_index.sql"),
    ),
    (
        13,
        "question changes",
        include_str!("../../../migrations/postgres/0013_question_changes.sql"),
    ),
    (
        14,
        "drafts by message",
        include_str!("../../../migrations/postgres/0014_drafts_by_message.sql"),
    ),
];

/// Any number: the key of the advisory lock that migrations hold.
const LOCK: i64 = 0x7762_6d69_6772;

/// The highest migration this build knows.
pub fn latest_known() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

pub(super) fn run(settings: Settings) -> StoreResult<()> {
    let mut conn = PgConn::open(settings)?;
    conn.exec("SELECT pg_advisory_lock($1)", &[LOCK.into()])?;
    let result = apply(&mut conn);
    let _ = conn.exec("SELECT pg_advisory_unlock($1)", &[LOCK.into()]);
    result
}

fn apply(conn: &mut PgConn) -> StoreResult<()> {
    conn.batch(
        "CREATE TABLE IF NOT EXISTS wb_migrations (
            version      BIGINT PRIMARY KEY,
            description  TEXT NOT NULL,
            installed_on TEXT NOT NULL
        )",
    )?;
    let applied: Vec<i64> = conn
        .query("SELECT version FROM wb_migrations ORDER BY version", &[])?
        .iter()
        .map(|r| super::conn::first_int(r).map(|v| v.unwrap_or(0)))
        .collect::<StoreResult<_>>()?;
    let newest = applied.iter().copied().max().unwrap_or(0);
    let known = latest_known();
    if newest > known {
        return Err(StoreError::Internal(format!(
            "the database's schema is version {newest}, newer than this wb knows (version {known}); run the newer wb, or restore a backup"
        )));
    }
    for (version, description, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        conn.batch("BEGIN")?;
        let done = conn.batch(sql).and_then(|()| {
            let now = crate::domain::format_rfc3339(jiff::Timestamp::now());
            conn.exec(
                "INSERT INTO wb_migrations (version, description, installed_on) VALUES ($1, $2, $3)",
                &[(*version).into(), (*description).into(), now.as_str().into()],
            )
        });
        match done {
            Ok(_) => conn.batch("COMMIT")?,
            Err(err) => {
                let _ = conn.batch("ROLLBACK");
                return Err(StoreError::Internal(format!(
                    "applying migration {version} ({description}): {err}"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(dir: &str) -> Vec<i64> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut out: Vec<i64> = std::fs::read_dir(path)
            .expect("migrations dir")
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                name.ends_with(".sql")
                    .then(|| name.split('_').next().and_then(|n| n.parse().ok()))
                    .flatten()
            })
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn every_sqlite_migration_has_its_postgres_twin_and_every_file_is_embedded() {
        let embedded: Vec<i64> = MIGRATIONS.iter().map(|m| m.0).collect();
        assert_eq!(versions("migrations/postgres"), embedded);
        assert_eq!(versions("migrations/sqlite"), embedded);
    }
}

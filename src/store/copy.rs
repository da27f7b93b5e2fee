//! Copying every row of one database into another (`wb migrate-data`): the
//! tables in an order their references allow, ids and timestamps as they
//! are, then each id sequence set past the highest id (and past a number
//! SQLite reserved but never used), so no id is ever handed out twice.

use super::db::{args, Arg, Dialect, Tx, Value};
use super::error::{StoreError, StoreResult};
use super::Store;

/// Every table of wb's schema, parents first; `true` when it has an `id`
/// sequence. (Migration bookkeeping is each side's own.)
pub const TABLES: &[(&str, bool)] = &[
    ("sessions", true),
    ("drafts", true),
    ("questions", true),
    ("question_votes", false),
    ("answers", true),
    ("entries", true),
    ("processed_events", false),
    ("outbox", true),
    ("users", false),
    ("message_files", false),
    ("reviews", true),
    ("review_reviewers", false),
    ("review_comments", true),
    ("decisions", true),
    ("processed_submissions", false),
    ("reminders", false),
    ("installations", false),
    ("oauth_states", false),
];

/// A column that refers to its own table (a merged question points at the
/// question it was merged into, whatever its id): copied as NULL, then set.
const SELF_REFERENCES: &[(&str, &str)] = &[("questions", "merged_into")];

/// Rows written per transaction.
const CHUNK: usize = 500;

/// One table's rows: column names, then values in that order.
pub struct TableRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Rows in all of wb's tables.
pub async fn total_rows(store: &Store) -> StoreResult<i64> {
    store
        .read(|tx| {
            TABLES.iter().try_fold(0, |sum, (table, _)| {
                Ok(sum + tx.int(&format!("SELECT COUNT(*) FROM {table}"), &[])?)
            })
        })
        .await
}

/// Deletes every row of wb's tables (children first).
pub async fn clear(store: &Store) -> StoreResult<()> {
    store
        .write(|tx| {
            for (table, _) in TABLES.iter().rev() {
                tx.exec(&format!("DELETE FROM {table}"), &[])?;
            }
            Ok(())
        })
        .await
}

/// Every row of `table`.
pub async fn read_table(store: &Store, table: &'static str) -> StoreResult<TableRows> {
    store
        .read(move |tx| {
            let mut columns = Vec::new();
            let rows = tx.rows(&format!("SELECT * FROM {table}"), &[], |r| {
                if columns.is_empty() {
                    columns = r.columns();
                }
                r.values()
            })?;
            Ok(TableRows { columns, rows })
        })
        .await
}

/// Writes `rows` of `table` (a chunk at a time, calling `progress` with the
/// rows written), then sets the columns that refer to the table itself.
pub async fn write_table(
    store: &Store,
    table: &'static str,
    data: TableRows,
    mut progress: impl FnMut(usize),
) -> StoreResult<()> {
    let columns = std::sync::Arc::new(data.columns);
    let deferred: Vec<usize> = SELF_REFERENCES
        .iter()
        .filter(|(t, _)| *t == table)
        .filter_map(|(_, c)| columns.iter().position(|name| name == c))
        .collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let insert = std::sync::Arc::new(format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    ));
    let mut later = Vec::new();
    let mut rows = data.rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut chunk: Vec<Vec<Value>> = rows.by_ref().take(CHUNK).collect();
        for row in &mut chunk {
            for &i in &deferred {
                if row[i] != Value::Null {
                    later.push((i, std::mem::replace(&mut row[i], Value::Null), row.clone()));
                }
            }
        }
        let n = chunk.len();
        let insert = insert.clone();
        store
            .write(move |tx| {
                for row in &chunk {
                    let args: Vec<Arg<'_>> = row.iter().map(Value::arg).collect();
                    tx.exec(&insert, &args)?;
                }
                Ok(())
            })
            .await?;
        progress(n);
    }
    let id = columns.iter().position(|c| c == "id");
    for (i, value, row) in later {
        let Some(id) = id.map(|at| row[at].clone()) else {
            return Err(StoreError::internal(format!("{table} has no id column")));
        };
        let sql = format!("UPDATE {table} SET {} = $1 WHERE id = $2", columns[i]);
        store
            .write(move |tx| tx.exec(&sql, &[value.arg(), id.arg()]))
            .await?;
    }
    Ok(())
}

/// The highest number `table`'s id sequence handed out on `store` (SQLite
/// keeps reserved session numbers there); 0 when unknown.
pub async fn sequence_of(store: &Store, table: &'static str) -> StoreResult<i64> {
    store
        .read(move |tx| match tx.dialect() {
            Dialect::Sqlite => tx.int(
                "SELECT seq FROM sqlite_sequence WHERE name = $1",
                args![table],
            ),
            Dialect::Postgres => tx.int(
                &format!("SELECT last_value FROM {}", sequence_name(table)),
                &[],
            ),
        })
        .await
}

fn sequence_name(table: &str) -> String {
    format!("{table}_id_seq")
}

/// Sets `table`'s id sequence on `store` past its highest id and past
/// `at_least`, so new rows never reuse a number.
pub async fn set_sequence(store: &Store, table: &'static str, at_least: i64) -> StoreResult<()> {
    store
        .write(move |tx| set_sequence_in(tx, table, at_least))
        .await
}

fn set_sequence_in(tx: &mut Tx<'_>, table: &str, at_least: i64) -> StoreResult<()> {
    let highest = tx
        .int(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"), &[])?
        .max(at_least);
    match tx.dialect() {
        Dialect::Postgres => {
            if highest > 0 {
                tx.int(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), $2)",
                    args![table, highest],
                )?;
            }
        }
        Dialect::Sqlite => {
            if highest > 0 {
                let bumped = tx.exec(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, $1) WHERE name = $2",
                    args![highest, table],
                )?;
                if bumped == 0 {
                    tx.exec(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)",
                        args![table, highest],
                    )?;
                }
            }
        }
    }
    Ok(())
}

//! [`Tx`]: the one handle every query runs on, inside a write (the writer's
//! transaction) or a read (a snapshot on a reader connection). Queries are
//! written once, as methods on `Tx` in the table-family files, with a small
//! portable vocabulary: `$1, $2…` placeholders, [`Arg`] values and [`Row`]
//! getters. (`$N` is read positionally by SQLite too, as long as each first
//! appears in ascending order; debug builds check that.)

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

pub(crate) use super::arg::args;
pub use super::arg::{Arg, Value};
use super::error::{StoreError, StoreResult};
use super::pg::conn::{self as pg_conn, PgConn};
use super::sqlite::columns::Columns;
use super::sqlite::statements::{Prepared, Statements};
use crate::domain::format_rfc3339;

/// Which SQL a backend speaks, for the few statements written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A transaction (or read snapshot) and the time it started.
pub struct Tx<'c> {
    conn: Conn<'c>,
    now: jiff::Timestamp,
    /// `now` as stored, written once per transaction (a hot write stamps
    /// several rows; formatting the time is a good part of a small insert).
    now_text: std::cell::OnceCell<String>,
    /// What the running write's jobs became (`store::handover`); cleared
    /// after each queued write.
    pub(super) queueing: super::queueing::Queueing,
    /// The last session number this transaction reserved (SQLite), so the
    /// next is one compare-and-set (`store::sessions`).
    pub(super) session_seq: Option<i64>,
    /// SQLite: the connection's statements found by where their text lives
    /// (`store::sqlite::statements`), lent to each transaction in turn by
    /// the writer; `None` (rusqlite's cache only) for a transaction that
    /// has none lent, whose kept statements would die with it.
    statements: Option<Statements<'c>>,
}

enum Conn<'c> {
    Sqlite(&'c rusqlite::Connection),
    Pg(&'c mut PgConn),
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Arg::Null => ToSqlOutput::Owned(SqlValue::Null),
            Arg::Int(v) => ToSqlOutput::Owned(SqlValue::Integer(v)),
            Arg::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
        })
    }
}

/// One result row; columns are read by name.
pub struct Row<'a, 'b>(RowRef<'a, 'b>);

enum RowRef<'a, 'b> {
    Sqlite(&'a rusqlite::Row<'b>, Columns),
    Pg(&'a postgres::Row, std::marker::PhantomData<&'b ()>),
}

impl<'a, 'b> Row<'a, 'b> {
    fn sqlite(row: &'a rusqlite::Row<'b>) -> Self {
        Row(RowRef::Sqlite(row, Columns::new()))
    }

    fn pg(row: &'a postgres::Row) -> Self {
        Row(RowRef::Pg(row, std::marker::PhantomData))
    }
}

impl Row<'_, '_> {
    pub fn int(&self, col: &str) -> StoreResult<i64> {
        self.opt_int(col)?
            .ok_or_else(|| StoreError::internal(format!("column {col} is NULL")))
    }

    pub fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        match &self.0 {
            RowRef::Sqlite(r, columns) => Ok(r.get(columns.index(r, col)?)?),
            RowRef::Pg(r, _) => pg_conn::opt_int(r, col),
        }
    }

    pub fn text(&self, col: &str) -> StoreResult<String> {
        self.opt_text(col)?
            .ok_or_else(|| StoreError::internal(format!("column {col} is NULL")))
    }

    pub fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        match &self.0 {
            RowRef::Sqlite(r, columns) => Ok(r.get(columns.index(r, col)?)?),
            RowRef::Pg(r, _) => pg_conn::opt_text(r, col),
        }
    }

    /// The row's column names, in order.
    pub fn columns(&self) -> Vec<String> {
        match &self.0 {
            RowRef::Sqlite(r, _) => r
                .as_ref()
                .column_names()
                .iter()
                .map(|c| c.to_string())
                .collect(),
            RowRef::Pg(r, _) => r.columns().iter().map(|c| c.name().to_string()).collect(),
        }
    }

    /// Every column's value, in order (an integer, a text or NULL).
    pub fn values(&self) -> StoreResult<Vec<Value>> {
        match &self.0 {
            RowRef::Sqlite(r, _) => (0..r.as_ref().column_count())
                .map(|i| match r.get_ref(i)? {
                    ValueRef::Null => Ok(Value::Null),
                    ValueRef::Integer(v) => Ok(Value::Int(v)),
                    ValueRef::Text(t) => Ok(Value::Text(String::from_utf8_lossy(t).into_owned())),
                    other => Err(StoreError::internal(format!(
                        "column {i} holds a {:?}, neither an integer nor a text",
                        other.data_type()
                    ))),
                })
                .collect(),
            RowRef::Pg(r, _) => pg_conn::values(r),
        }
    }

    /// A 0/1 column (booleans are integers on both backends).
    pub fn flag(&self, col: &str) -> StoreResult<bool> {
        Ok(self.int(col)? != 0)
    }
}

impl<'c> Tx<'c> {
    pub(crate) fn sqlite(conn: &'c rusqlite::Connection, now: jiff::Timestamp) -> Self {
        Self {
            conn: Conn::Sqlite(conn),
            now,
            now_text: Default::default(),
            queueing: Default::default(),
            session_seq: None,
            statements: None,
        }
    }

    /// [`Tx::sqlite`] lent the connection's kept `statements`; take them
    /// back with [`Tx::into_statements`].
    pub(crate) fn sqlite_with(
        conn: &'c rusqlite::Connection,
        statements: Statements<'c>,
        now: jiff::Timestamp,
    ) -> Self {
        Self {
            statements: Some(statements),
            ..Self::sqlite(conn, now)
        }
    }

    /// The statements this transaction was lent, for the next one.
    pub(crate) fn into_statements(self) -> Statements<'c> {
        self.statements.unwrap_or_default()
    }

    pub(crate) fn postgres(conn: &'c mut PgConn, now: jiff::Timestamp) -> Self {
        Self {
            conn: Conn::Pg(conn),
            now,
            now_text: Default::default(),
            queueing: Default::default(),
            session_seq: None,
            statements: None,
        }
    }

    /// The SQL this transaction's backend speaks.
    pub fn dialect(&self) -> Dialect {
        match self.conn {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Pg(_) => Dialect::Postgres,
        }
    }

    /// When this transaction started (by the store's clock): every row it
    /// writes carries this time.
    pub fn now(&self) -> jiff::Timestamp {
        self.now
    }

    /// [`Tx::now`] as stored: RFC 3339, UTC, whole seconds.
    pub fn now_text(&self) -> String {
        self.now_text
            .get_or_init(|| format_rfc3339(self.now))
            .clone()
    }

    pub fn now_ms(&self) -> i64 {
        self.now.as_millisecond()
    }

    /// Runs a statement; the number of rows it changed.
    pub fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<usize> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = prepare(conn, &mut self.statements, sql)?;
                Ok(statement.execute(rusqlite::params_from_iter(args.iter()))?)
            }
            Conn::Pg(conn) => conn.exec(sql, args),
        }
    }

    /// Runs an `INSERT` (without `RETURNING`) into a table keyed by `id`:
    /// the new row's id, or `None` when it inserted nothing (`ON CONFLICT
    /// … DO NOTHING`). SQLite reads the rowid the insert left, as
    /// `RETURNING` would make it buffer its output in a temporary table
    /// first (about a microsecond an insert); PostgreSQL returns the id.
    pub fn insert_id(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Option<i64>> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = prepare(conn, &mut self.statements, sql)?;
                let changed = statement.execute(rusqlite::params_from_iter(args.iter()))?;
                Ok((changed > 0).then(|| conn.last_insert_rowid()))
            }
            Conn::Pg(conn) => match conn.query(&format!("{sql} RETURNING id"), args)?.first() {
                Some(row) => pg_conn::first_int(row),
                None => Ok(None),
            },
        }
    }

    /// [`Tx::insert_id`] of an insert that always adds its row.
    pub fn insert(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<i64> {
        self.insert_id(sql, args)?
            .ok_or_else(|| StoreError::internal(format!("no row inserted by: {sql}")))
    }

    /// Every row of a query, mapped by `f`.
    pub fn rows<T>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = prepare(conn, &mut self.statements, sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::sqlite(row))?);
                }
                Ok(out)
            }
            Conn::Pg(conn) => conn
                .query(sql, args)?
                .iter()
                .map(|row| f(&Row::pg(row)))
                .collect(),
        }
    }

    /// The first row of a query, if any.
    pub fn row<T>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = prepare(conn, &mut self.statements, sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
                match rows.next()? {
                    Some(row) => Ok(Some(f(&Row::sqlite(row))?)),
                    None => Ok(None),
                }
            }
            Conn::Pg(conn) => match conn.query(sql, args)?.first() {
                Some(row) => Ok(Some(f(&Row::pg(row))?)),
                None => Ok(None),
            },
        }
    }

    /// The one row a query always returns (an aggregate, `RETURNING`).
    pub fn one<T>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.row(sql, args, f)?
            .ok_or_else(|| StoreError::internal(format!("no row from: {sql}")))
    }

    /// The single integer a query returns (a count, an id).
    pub fn int(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<i64> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let mut statement = prepare(conn, &mut self.statements, sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
                match rows.next()? {
                    Some(row) => Ok(row.get::<_, Option<i64>>(0)?.unwrap_or(0)),
                    None => Ok(0),
                }
            }
            Conn::Pg(conn) => match conn.query(sql, args)?.first() {
                Some(row) => Ok(pg_conn::first_int(row)?.unwrap_or(0)),
                None => Ok(0),
            },
        }
    }
}

fn prepare<'s, 'c>(
    conn: &'c rusqlite::Connection,
    statements: &'s mut Option<Statements<'c>>,
    sql: &str,
) -> StoreResult<Prepared<'s, 'c>> {
    let statement = match statements {
        Some(kept) => kept.prepare(conn, sql)?,
        None => Prepared::Cached(conn.prepare_cached(sql)?),
    };
    debug_assert!(
        placeholders_in_order(&statement),
        "placeholders out of order: {sql}"
    );
    Ok(statement)
}

/// True when the statement's `$N` parameters are numbered as SQLite binds them.
fn placeholders_in_order(statement: &rusqlite::Statement<'_>) -> bool {
    (1..=statement.parameter_count()).all(|i| {
        statement
            .parameter_name(i)
            .is_none_or(|name| name.strip_prefix('$') == Some(&i.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_placeholders_bind_in_order_and_out_of_order_ones_are_caught() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut tx = Tx::sqlite(&conn, now);
        let got = tx
            .one("SELECT $1 + $2 * 10 + $1 AS v", args![1_i64, 2_i64], |r| {
                r.int("v")
            })
            .expect("query");
        assert_eq!(got, 22);
        let statement = conn.prepare("SELECT $2, $1").expect("prepare");
        assert!(!placeholders_in_order(&statement));
    }

    #[test]
    fn only_a_transaction_lent_statements_keeps_any() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut tx = Tx::sqlite(&conn, now);
        for _ in 0..3 {
            assert_eq!(tx.int("SELECT 7", &[]).expect("query"), 7);
        }
        assert!(tx.statements.is_none(), "its statements would die with it");
        let mut tx = Tx::sqlite_with(&conn, Statements::default(), now);
        for _ in 0..3 {
            assert_eq!(tx.int("SELECT 7", &[]).expect("query"), 7);
        }
        let kept = tx.into_statements();
        assert_eq!(kept.kept(), 1, "kept for the next transaction");
        let mut tx = Tx::sqlite_with(&conn, kept, now);
        assert_eq!(tx.int("SELECT 7", &[]).expect("query"), 7);
        assert_eq!(tx.into_statements().kept(), 1);
    }

    #[test]
    fn optional_values_become_null() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let mut tx = Tx::sqlite(&conn, jiff::Timestamp::UNIX_EPOCH);
        let none: Option<&str> = None;
        let got = tx
            .one("SELECT $1 AS a, $2 AS b", args![none, Some(5_i64)], |r| {
                Ok((r.opt_text("a")?, r.opt_int("b")?))
            })
            .expect("query");
        assert_eq!(got, (None, Some(5)));
    }
}

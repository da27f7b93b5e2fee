//! [`Tx`]: the one handle every query runs on, inside a write (the writer's
//! transaction) or a read (a snapshot on a reader connection). Queries are
//! written once, as methods on `Tx` in the table-family files, with a small
//! portable vocabulary: `$1, $2…` placeholders, [`Arg`] values and [`Row`]
//! getters. (`$N` is read positionally by SQLite too, as long as each first
//! appears in ascending order; debug builds check that.)

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

use super::error::{StoreError, StoreResult};
use crate::domain::format_rfc3339;

/// A transaction (or read snapshot) and the time it started.
pub struct Tx<'c> {
    conn: &'c rusqlite::Connection,
    now: jiff::Timestamp,
}

/// One statement parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Int(i64::from(v))
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Arg::Null, Arg::Text)
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().map_or(Arg::Null, Arg::Text)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Arg::Null, Arg::Int)
    }
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

/// `args![a, b, c]`: a statement's parameters, each converted with [`Arg::from`].
macro_rules! args {
    ($($v:expr),* $(,)?) => { &[$($crate::store::db::Arg::from($v)),*] };
}
pub(crate) use args;

/// One result row; columns are read by name.
pub struct Row<'a, 'b>(&'a rusqlite::Row<'b>);

impl Row<'_, '_> {
    pub fn int(&self, col: &str) -> StoreResult<i64> {
        Ok(self.0.get(col)?)
    }

    pub fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        Ok(self.0.get(col)?)
    }

    pub fn text(&self, col: &str) -> StoreResult<String> {
        Ok(self.0.get(col)?)
    }

    pub fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.0.get(col)?)
    }

    /// A 0/1 column (booleans are integers on both backends).
    pub fn flag(&self, col: &str) -> StoreResult<bool> {
        Ok(self.int(col)? != 0)
    }
}

impl<'c> Tx<'c> {
    pub(crate) fn sqlite(conn: &'c rusqlite::Connection, now: jiff::Timestamp) -> Self {
        Self { conn, now }
    }

    /// When this transaction started (by the store's clock): every row it
    /// writes carries this time.
    pub fn now(&self) -> jiff::Timestamp {
        self.now
    }

    /// [`Tx::now`] as stored: RFC 3339, UTC, whole seconds.
    pub fn now_text(&self) -> String {
        format_rfc3339(self.now)
    }

    pub fn now_ms(&self) -> i64 {
        self.now.as_millisecond()
    }

    fn prepare(&self, sql: &str) -> StoreResult<rusqlite::CachedStatement<'c>> {
        let statement = self.conn.prepare_cached(sql)?;
        debug_assert!(
            placeholders_in_order(&statement),
            "placeholders out of order: {sql}"
        );
        Ok(statement)
    }

    /// Runs a statement; the number of rows it changed.
    pub fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<usize> {
        let mut statement = self.prepare(sql)?;
        Ok(statement.execute(rusqlite::params_from_iter(args.iter()))?)
    }

    /// Every row of a query, mapped by `f`.
    pub fn rows<T>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let mut statement = self.prepare(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(f(&Row(row))?);
        }
        Ok(out)
    }

    /// The first row of a query, if any.
    pub fn row<T>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_, '_>) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let mut statement = self.prepare(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
        match rows.next()? {
            Some(row) => Ok(Some(f(&Row(row))?)),
            None => Ok(None),
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
        let mut statement = self.prepare(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
        match rows.next()? {
            Some(row) => Ok(row.get::<_, Option<i64>>(0)?.unwrap_or(0)),
            None => Ok(0),
        }
    }
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

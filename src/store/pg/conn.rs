//! One PostgreSQL connection as the store uses it: connected lazily and again
//! after the server went away, statements prepared once per connection, and
//! values converted to and from the store's small vocabulary ([`Arg`], the
//! `Row` getters' integers and texts).

use std::collections::HashMap;
use std::error::Error;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::store::arg::{Arg, Value};
use crate::store::error::{StoreError, StoreResult};

/// Prepared statements kept per connection (the store's queries are a fixed
/// set; a few are built with `format!`).
const STATEMENT_CACHE: usize = 256;

type BoxError = Box<dyn Error + Sync + Send>;

/// How to reach the server, and the limits every session gets.
#[derive(Clone)]
pub struct Settings {
    pub(crate) config: postgres::Config,
    /// `statement_timeout` of every session (0: none).
    pub(crate) statement_timeout: Duration,
    /// The writer's connection holds this advisory lock while it lives: the
    /// replica's liveness, as other replicas see it (`Tx::release_dead_leases`).
    pub(crate) liveness_lock: Option<i64>,
}

impl std::fmt::Debug for Settings {
    // The URL may carry a password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings").finish_non_exhaustive()
    }
}

/// A connection (or none while the server is away) and its statements.
pub struct PgConn {
    settings: Settings,
    client: Option<Client>,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    /// Connects now; an error says why the server cannot be used.
    pub fn open(settings: Settings) -> StoreResult<Self> {
        let mut conn = Self {
            settings,
            client: None,
            statements: HashMap::new(),
        };
        conn.client()?;
        Ok(conn)
    }

    /// The live client, connecting first when there is none.
    fn client(&mut self) -> StoreResult<&mut Client> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            self.statements.clear();
            let mut client = self.settings.config.connect(NoTls).map_err(connect_error)?;
            let ms = self.settings.statement_timeout.as_millis();
            // Notices ("relation already exists, skipping") are not news.
            client
                .batch_execute(&format!(
                    "SET statement_timeout = {ms}; SET client_min_messages = warning"
                ))
                .map_err(StoreError::from)?;
            if let Some(key) = self.settings.liveness_lock {
                let taken: bool = client
                    .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
                    .map_err(StoreError::from)?
                    .get(0);
                if !taken {
                    tracing::warn!("this replica's liveness lock is held elsewhere");
                }
            }
            self.client = Some(client);
        }
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("no connection".into()))
    }

    /// Forgets a connection that an error showed closed.
    fn check<T>(&mut self, result: Result<T, postgres::Error>) -> StoreResult<T> {
        result.map_err(|err| {
            if err.is_closed() || self.client.as_ref().is_some_and(Client::is_closed) {
                self.client = None;
            }
            StoreError::from(err)
        })
    }

    /// Runs statements without parameters (transaction control, DDL).
    pub fn batch(&mut self, sql: &str) -> StoreResult<()> {
        let result = self.client()?.batch_execute(sql);
        self.check(result)
    }

    fn statement(&mut self, sql: &str) -> StoreResult<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let result = self.client()?.prepare(sql);
        let statement = self.check(result)?;
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// Runs a statement; the number of rows it changed.
    pub fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<usize> {
        let statement = self.statement(sql)?;
        let params = params(args);
        let result = self.client()?.execute(&statement, &params);
        let changed = self.check(result)?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Every row a statement returns.
    pub fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> StoreResult<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        let params = params(args);
        let result = self.client()?.query(&statement, &params);
        self.check(result)
    }
}

fn params<'a>(args: &'a [Arg<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

fn connect_error(err: postgres::Error) -> StoreError {
    let why = match err.as_db_error() {
        Some(db) => db.message().to_string(),
        None => match err.source() {
            Some(source) => source.to_string(),
            None => err.to_string(),
        },
    };
    StoreError::Unavailable(format!("cannot connect to PostgreSQL: {why}"))
}

impl ToSql for Arg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match *self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => v.to_string().to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Arg::Text(v) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN | Type::NAME | Type::BPCHAR => {
                    v.to_sql(ty, out)
                }
                _ => Err(format!("a text cannot be bound as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// An integer column of any width (or a boolean, as 0/1).
struct AnyInt(i64);

impl<'a> FromSql<'a> for AnyInt {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(AnyInt(match *ty {
            Type::INT8 => i64::from_sql(ty, raw)?,
            Type::INT4 => i64::from(i32::from_sql(ty, raw)?),
            Type::INT2 => i64::from(i16::from_sql(ty, raw)?),
            Type::BOOL => i64::from(bool::from_sql(ty, raw)?),
            _ => return Err(format!("{ty} is not an integer").into()),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL)
    }
}

fn get_error(col: &str, err: postgres::Error) -> StoreError {
    StoreError::Internal(format!("reading column {col}: {err}"))
}

pub(crate) fn opt_int(row: &postgres::Row, col: &str) -> StoreResult<Option<i64>> {
    row.try_get::<_, Option<AnyInt>>(col)
        .map(|v| v.map(|v| v.0))
        .map_err(|e| get_error(col, e))
}

pub(crate) fn opt_text(row: &postgres::Row, col: &str) -> StoreResult<Option<String>> {
    row.try_get::<_, Option<String>>(col)
        .map_err(|e| get_error(col, e))
}

/// The first column as an integer (a count, an id).
pub(crate) fn first_int(row: &postgres::Row) -> StoreResult<Option<i64>> {
    row.try_get::<_, Option<AnyInt>>(0)
        .map(|v| v.map(|v| v.0))
        .map_err(|e| get_error("0", e))
}

/// Every column's value, in order (integers and texts: the store's columns).
pub(crate) fn values(row: &postgres::Row) -> StoreResult<Vec<Value>> {
    (0..row.len())
        .map(|i| {
            let col = row.columns()[i].name().to_string();
            if AnyInt::accepts(row.columns()[i].type_()) {
                Ok(opt_int(row, &col)?.map_or(Value::Null, Value::Int))
            } else {
                Ok(row
                    .try_get::<_, Option<String>>(i)
                    .map_err(|e| get_error(&col, e))?
                    .map_or(Value::Null, Value::Text))
            }
        })
        .collect()
}

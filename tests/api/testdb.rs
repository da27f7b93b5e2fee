//! Which database the tests run wb on: a SQLite file in the test's temp dir,
//! or, when `WB_TEST_DATABASE_URL=postgres://…` is set, a fresh PostgreSQL
//! database per test (named after that dir, so a restart on the same dir finds
//! it again), dropped when its test's app is dropped. Databases a crashed run
//! left behind are dropped when the next run first creates one.
//!
//! The tests' own SQL (arranging and inspecting rows) is written for SQLite
//! with `?` placeholders; [`query`] and friends rewrite them to `$N` on
//! PostgreSQL.

use std::path::Path;
use std::sync::{Once, OnceLock};

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::Any;

pub type Pool = sqlx::AnyPool;

const PREFIX: &str = "wb_test_";

/// The server URL when the suite runs on PostgreSQL.
pub fn pg_base() -> Option<&'static str> {
    static BASE: OnceLock<Option<String>> = OnceLock::new();
    BASE.get_or_init(|| {
        std::env::var("WB_TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
    })
    .as_deref()
}

pub fn is_pg() -> bool {
    pg_base().is_some()
}

/// wb's database for a test whose files live in `dir`.
pub fn db_url(dir: &Path) -> String {
    db_url_named(dir, "wb.db")
}

/// As [`db_url`], for a database file named `file` on SQLite.
pub fn db_url_named(dir: &Path, file: &str) -> String {
    match pg_base() {
        None => format!("sqlite://{}", dir.join(file).display()),
        Some(base) => {
            let name = pg_name(dir, file);
            create(base, &name);
            with_database(base, &name)
        }
    }
}

/// The PostgreSQL database of `dir` and `file` (a stable name per test dir).
pub fn pg_name(dir: &Path, file: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (dir, file).hash(&mut h);
    format!("{PREFIX}{:016x}", h.finish())
}

/// `base` with its database replaced by `name`.
pub fn with_database(base: &str, name: &str) -> String {
    let mut url = url::Url::parse(base).expect("WB_TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Runs `sql` on the server's maintenance database, off the async runtime
/// (the `postgres` client runs one of its own).
fn admin(base: &str, sql: String) -> Result<(), String> {
    let base = base.to_string();
    std::thread::spawn(move || {
        let mut client =
            postgres::Client::connect(&base, postgres::NoTls).map_err(|e| e.to_string())?;
        client
            .batch_execute(&sql)
            .map_err(|e| format!("{sql}: {e:?}"))
    })
    .join()
    .map_err(|_| "admin thread panicked".to_string())?
}

fn create(base: &str, name: &str) {
    static SWEEP: Once = Once::new();
    SWEEP.call_once(|| sweep(base));
    match admin(base, format!("CREATE DATABASE {name}")) {
        Ok(()) => {}
        Err(e) if e.contains("already exists") => {}
        Err(e) => panic!("creating the test database: {e}"),
    }
}

/// Drops the test databases an earlier run left behind.
fn sweep(base: &str) {
    let base = base.to_string();
    let names = std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&base, postgres::NoTls).ok()?;
        let rows = client
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'wb\\_test\\_%'",
                &[],
            )
            .ok()?;
        Some(
            rows.iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>(),
        )
    })
    .join()
    .ok()
    .flatten()
    .unwrap_or_default();
    for name in names {
        let _ = admin(
            base_of(),
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
    }
}

fn base_of() -> &'static str {
    pg_base().expect("on PostgreSQL")
}

/// Drops a test's PostgreSQL database when dropped (unless disarmed).
pub struct DropDb(Option<String>);

impl DropDb {
    /// Guards the database of `dir` (nothing on SQLite).
    pub fn of(dir: &Path) -> Self {
        Self::named(dir, "wb.db")
    }

    /// Guards the database of `dir` and `file` (nothing on SQLite).
    pub fn named(dir: &Path, file: &str) -> Self {
        DropDb(is_pg().then(|| pg_name(dir, file)))
    }

    /// Guards nothing.
    pub fn none() -> Self {
        DropDb(None)
    }

    /// Keeps the database (the test restarts wb on it).
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for DropDb {
    fn drop(&mut self) {
        if let (Some(name), Some(base)) = (self.0.take(), pg_base()) {
            let _ = admin(base, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A pool of the test's own on wb's database.
pub async fn connect(url: &str) -> Result<Pool, sqlx::Error> {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    Pool::connect(url).await
}

/// `sql` with SQLite's `?` / `?N` placeholders as PostgreSQL's `$N` (outside
/// quotes), when the suite runs on PostgreSQL.
pub fn sql(sql: &str) -> &'static str {
    if !is_pg() {
        return Box::leak(sql.to_string().into_boxed_str());
    }
    let (mut out, mut next, mut quoted) = (String::new(), 1, false);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c != '?' || quoted {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        if digits.is_empty() {
            digits = next.to_string();
            next += 1;
        }
        out.push('$');
        out.push_str(&digits);
    }
    Box::leak(out.into_boxed_str())
}

pub fn query<'q>(q: &str) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    sqlx::query(sql(q))
}

pub fn query_scalar<'q, O>(q: &str) -> sqlx::query::QueryScalar<'q, Any, O, AnyArguments<'q>>
where
    (O,): for<'r> sqlx::FromRow<'r, AnyRow>,
{
    sqlx::query_scalar(sql(q))
}

pub fn query_as<'q, O>(q: &str) -> sqlx::query::QueryAs<'q, Any, O, AnyArguments<'q>>
where
    O: for<'r> sqlx::FromRow<'r, AnyRow>,
{
    sqlx::query_as(sql(q))
}

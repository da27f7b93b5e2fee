//! `DATABASE_URL=postgres://…` faults: a server that cannot be reached, a
//! database that does not exist or grants no rights, a schema from a newer wb,
//! a bad pool size: one clear line and an exit code, never a panic. Tests that
//! need a PostgreSQL server say so and pass when the suite runs on SQLite.

use crate::testdb::{pg_base, with_database};

fn wb(args: &[&str], envs: &[(&str, &str)], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wb"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(envs.iter().copied())
        .current_dir(dir)
        .output()
        .expect("run wb")
}

/// One line on stderr, no panic, no password.
fn one_clear_line(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("hunter2"), "no password: {err}");
    err
}

fn needs_postgres(test: &str) -> Option<&'static str> {
    let base = pg_base();
    if base.is_none() {
        eprintln!("{test}: needs PostgreSQL (WB_TEST_DATABASE_URL); skipped on SQLite");
    }
    base
}

/// Runs `sql` as the test server's superuser, on database `db`.
fn admin(db: &str, sql: &str) {
    let url = with_database(pg_base().expect("postgres"), db);
    let sql = sql.to_string();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("admin");
        client.batch_execute(&sql).expect("admin sql");
    })
    .join()
    .expect("admin thread");
}

#[tokio::test]
async fn an_unreachable_postgres_server_is_one_line_and_exit_1_for_serve_and_sessions() {
    let dir = tempfile::tempdir().expect("dir");
    let url = "postgres://wb:hunter2@127.0.0.1:1/wb";
    let serve = wb(
        &["serve"],
        &[
            ("DATABASE_URL", url),
            ("SLACK_BOT_TOKEN", "xoxb-1"),
            ("SLACK_SIGNING_SECRET", "s"),
            ("WB_LISTEN", "127.0.0.1:0"),
        ],
        dir.path(),
    );
    assert_eq!(serve.status.code(), Some(1));
    assert!(one_clear_line(&serve).contains("DATABASE_URL"));
    let sessions = wb(&["sessions"], &[("DATABASE_URL", url)], dir.path());
    assert_eq!(sessions.status.code(), Some(1));
    assert!(one_clear_line(&sessions).contains("cannot connect"));
}

#[tokio::test]
async fn a_malformed_postgres_url_or_pool_size_is_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let bad_url = wb(
        &["migrate"],
        &[("DATABASE_URL", "postgres://wb:hunter2@h:notaport/wb")],
        dir.path(),
    );
    assert_eq!(bad_url.status.code(), Some(1));
    assert!(one_clear_line(&bad_url).contains("not a valid PostgreSQL URL"));
    let bad_pool = wb(
        &["sessions"],
        &[
            ("DATABASE_URL", "postgres://127.0.0.1:1/wb"),
            ("WB_PG_POOL_SIZE", "0"),
        ],
        dir.path(),
    );
    assert_eq!(bad_pool.status.code(), Some(2));
    assert!(one_clear_line(&bad_pool).contains("WB_PG_POOL_SIZE"));
}

#[tokio::test]
async fn a_missing_database_or_one_without_rights_is_one_line_and_exit_1() {
    let Some(base) = needs_postgres("postgres faults") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let missing = with_database(base, "wb_test_does_not_exist");
    let out = wb(&["migrate"], &[("DATABASE_URL", &missing)], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(one_clear_line(&out).contains("does not exist"));

    // A role that may connect but not create tables (PostgreSQL 15 grants
    // nobody CREATE on schema public by default; say so for older servers).
    let url = crate::testdb::db_url(dir.path());
    let _drop = crate::testdb::DropDb::of(dir.path());
    let db = crate::testdb::pg_name(dir.path(), "wb.db");
    admin(
        &db,
        "DO $$ BEGIN
             IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wb_test_reader') THEN
                 CREATE ROLE wb_test_reader LOGIN PASSWORD 'wb_test_reader';
             END IF;
         END $$;
         REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
    );
    let mut reader = url::Url::parse(&url).expect("url");
    reader.set_username("wb_test_reader").expect("user");
    // Trusted or not, the server lets the role in (a fresh cluster asks
    // for passwords over TCP).
    reader
        .set_password(Some("wb_test_reader"))
        .expect("password");
    let out = wb(
        &["migrate"],
        &[("DATABASE_URL", reader.as_str())],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(one_clear_line(&out).contains("permission denied"));
}

#[tokio::test]
async fn a_schema_from_a_newer_wb_is_refused_naming_both_versions() {
    if needs_postgres("newer schema").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::testdb::db_url(dir.path());
    let _drop = crate::testdb::DropDb::of(dir.path());
    let first = wb(&["migrate"], &[("DATABASE_URL", &url)], dir.path());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let db = crate::testdb::pg_name(dir.path(), "wb.db");
    admin(
        &db,
        "INSERT INTO wb_migrations (version, description, installed_on)
         VALUES (999, 'from the future', '2030-01-01T00:00:00Z')",
    );
    let out = wb(&["sessions"], &[("DATABASE_URL", &url)], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = one_clear_line(&out);
    let latest = wb::store::pg::latest_known();
    assert!(
        err.contains("version 999") && err.contains(&format!("version {latest}")),
        "{err}"
    );
}

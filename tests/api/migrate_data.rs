//! `wb migrate-data --from sqlite://… --to …`: an existing SQLite deployment
//! moves with one command — every table, ids and timestamps kept, sequences
//! past the highest id, the exports of both sides identical — and a target
//! that holds rows is refused unless `--force`. The target is PostgreSQL when
//! the suite runs on it (`WB_TEST_DATABASE_URL`), another SQLite file otherwise.

use crate::export::{seed_fixture, seed_triage};
use crate::helpers::*;

fn exports(app: &TestApp, url: &str, dir: &std::path::Path) -> Vec<(String, String)> {
    let out = app.wb(&[
        "export",
        "--all",
        "--format",
        "json",
        "--out",
        &dir.display().to_string(),
        "--database-url",
        url,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("export dir")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            (name, std::fs::read_to_string(e.path()).expect("file"))
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn a_sqlite_deployment_moves_with_its_ids_and_identical_exports() {
    // Arrange: a SQLite deployment with every kind of content, a merged
    // duplicate pointing at a later question, and a session started through
    // Slack (its number reserved first).
    let app = spawn_app_with(Options {
        sqlite: true,
        ..Options::default()
    })
    .await;
    let id = seed_fixture(&app).await;
    seed_triage(&app, id).await;
    crate::testdb::query(
        "UPDATE questions SET state = 'merged', merged_into = (SELECT MAX(id) FROM questions)
          WHERE id = (SELECT MIN(id) FROM questions)",
    )
    .execute(&app.pool)
    .await
    .expect("merge");
    app.start_session("Moved to PostgreSQL").await;
    app.settle().await;
    let target_dir = tempfile::tempdir().expect("dir");
    let _drop = crate::testdb::DropDb::named(target_dir.path(), "target.db");
    let target = crate::testdb::db_url_named(target_dir.path(), "target.db");

    // Act
    let moved = app.wb(&["migrate-data", "--from", &app.db_url, "--to", &target]);

    // Assert
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(
        said.contains("identical") && said.contains("2 session(s)"),
        "{said}"
    );
    assert!(moved.stderr.is_empty(), "quiet when piped");
    let here = tempfile::tempdir().expect("dir");
    let (a, b) = (here.path().join("a"), here.path().join("b"));
    let (from, to) = (exports(&app, &app.db_url, &a), exports(&app, &target, &b));
    assert_eq!(from.len(), 2);
    assert_eq!(
        from, to,
        "byte-identical exports, same ids in the file names"
    );
    let merged = &from
        .iter()
        .find(|(n, _)| n.starts_with(&format!("{id}-")))
        .expect("fixture")
        .1;
    assert!(merged.contains("\"state\": \"merged\""), "{merged}");

    // New numbers go past every number the source handed out.
    let highest: i64 = crate::testdb::query_scalar("SELECT MAX(id) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .expect("max");
    let store = wb::store::Store::open(&target, wb::clock::Clock::system())
        .await
        .expect("target");
    let next = store
        .write(|tx| tx.reserve_session_id())
        .await
        .expect("reserve");
    store.close().await;
    assert!(next > highest, "{next} > {highest}");

    // A target with rows is refused, then emptied and filled with --force.
    let again = app.wb(&["migrate-data", "--from", &app.db_url, "--to", &target]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = app.wb(&[
        "migrate-data",
        "--from",
        &app.db_url,
        "--to",
        &target,
        "--force",
    ]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let c = here.path().join("c");
    assert_eq!(exports(&app, &target, &c), from);
}

//! `wb migrate-data --from URL --to URL [--force]`: moves a deployment (say
//! from SQLite to PostgreSQL). Both databases are migrated to this wb's
//! schema, every table is copied with its ids and timestamps, the target's
//! id sequences are set past the highest id, and the JSON export of every
//! session is compared on both sides; the result is printed. A target that
//! already holds rows is refused unless `--force` (which empties it first).
//! A progress bar shows on a terminal; piped, only the result is printed.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::{redacted_database_url, validate_database_url, DbTuning};
use crate::export::{self, Format};
use crate::flows;
use crate::store::{copy, Store, StoreError};

pub async fn migrate_data(
    from: &str,
    to: &str,
    force: bool,
    clock: &Clock,
) -> Result<(), CliError> {
    let from_url = validate_database_url(from)
        .map_err(|e| CliError::new(2, format!("--from: {}", e.problem)))?;
    let to_url =
        validate_database_url(to).map_err(|e| CliError::new(2, format!("--to: {}", e.problem)))?;
    if from_url == to_url {
        return Err(CliError::new(2, "--from and --to name the same database"));
    }
    // No statement timeout: one statement reads a whole table.
    let tuning = DbTuning {
        statement_timeout: std::time::Duration::ZERO,
        ..DbTuning::default()
    };
    let open = |url: String, flag: &'static str| async move {
        Store::open_with(&url, clock.clone(), tuning)
            .await
            .map_err(|e| CliError::new(1, format!("{flag}: {e}")))
    };
    let source = open(from_url, "--from").await?;
    let target = match open(to_url, "--to").await {
        Ok(target) => target,
        Err(e) => {
            source.close().await;
            return Err(e);
        }
    };
    let result = run(&source, &target, force, clock).await;
    source.close().await;
    target.close().await;
    let (rows, sessions) = result?;
    println!(
        "copied {rows} row(s) from {} to {}; verified: the JSON exports of all {sessions} session(s) are identical",
        redacted_database_url(from),
        redacted_database_url(to)
    );
    Ok(())
}

fn failed(what: &'static str) -> impl Fn(StoreError) -> CliError {
    move |e| CliError::new(1, format!("{what}: {e}"))
}

async fn run(
    source: &Store,
    target: &Store,
    force: bool,
    clock: &Clock,
) -> Result<(i64, usize), CliError> {
    let already = copy::total_rows(target)
        .await
        .map_err(failed("reading the target"))?;
    if already > 0 && !force {
        return Err(CliError::new(
            2,
            format!("the target already holds {already} row(s): nothing copied; pass --force to empty it first"),
        ));
    }
    if already > 0 {
        copy::clear(target)
            .await
            .map_err(failed("emptying the target"))?;
    }
    let total = copy::total_rows(source)
        .await
        .map_err(failed("reading the source"))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(total.max(0) as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    for (table, has_id) in copy::TABLES {
        bar.set_message(*table);
        let rows = copy::read_table(source, table)
            .await
            .map_err(failed("reading the source"))?;
        copy::write_table(target, table, rows, |n| bar.inc(n as u64))
            .await
            .map_err(failed("writing the target"))?;
        if *has_id {
            let used = copy::sequence_of(source, table).await.unwrap_or(0);
            copy::set_sequence(target, table, used)
                .await
                .map_err(failed("setting the target's sequences"))?;
        }
    }
    bar.finish_and_clear();
    let sessions = verify(source, target, clock).await?;
    Ok((total, sessions))
}

/// Compares the JSON export of every session on both sides.
async fn verify(source: &Store, target: &Store, clock: &Clock) -> Result<usize, CliError> {
    let ids = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .read(|tx| tx.list_sessions())
                .await
                .map(|list| list.iter().map(|s| s.session.id).collect::<Vec<_>>())
        }
    };
    let (on_source, on_target) = (
        ids(source).await.map_err(failed("verifying"))?,
        ids(target).await.map_err(failed("verifying"))?,
    );
    if on_source != on_target {
        return Err(CliError::new(
            1,
            format!("verification failed: the source has sessions {on_source:?}, the target {on_target:?}"),
        ));
    }
    for id in &on_source {
        let (a, b) = (
            json_of(source, *id, clock).await?,
            json_of(target, *id, clock).await?,
        );
        if a != b {
            return Err(CliError::new(
                1,
                format!("verification failed: session {id}'s JSON export differs between the two databases"),
            ));
        }
    }
    Ok(on_source.len())
}

async fn json_of(store: &Store, id: i64, clock: &Clock) -> Result<String, CliError> {
    match flows::export::load_cached(store, id, clock.now()).await {
        Ok(Some((docset, ctx))) => Ok(export::render(&docset, &ctx, Format::Json)),
        Ok(None) => Err(CliError::new(1, format!("verifying: no session {id}"))),
        Err(e) => Err(CliError::new(1, format!("verifying session {id}: {e}"))),
    }
}

//! The subcommands that work on the database alone, without Slack:
//! `wb sessions`, `wb export`, `wb review`, `wb teams`, `wb purge`,
//! `wb migrate`, `wb migrate-data`. Each opens the store
//! named by `DATABASE_URL`, does its work through the use cases, and closes it.
//! Also `wb healthcheck`, which only asks a running wb whether it is ready.

mod export;
mod healthcheck;
mod migrate_data;
mod purge;
mod review;
mod teams;

use std::path::Path;

use crate::cli::{CliError, Command};
use crate::clock::Clock;
use crate::config::DbArgs;
use crate::store::Store;

pub use export::export;
pub use healthcheck::healthcheck;
pub use migrate_data::migrate_data;
pub use purge::purge;
pub use review::review;
pub use teams::teams;

/// Runs an offline subcommand (`None` when it is not one), reading "now"
/// from `clock`.
pub async fn run(command: Command, clock: &Clock) -> Option<Result<(), CliError>> {
    Some(match command {
        Command::Sessions { json, db } => sessions(&db, json, clock).await,
        Command::Export {
            id,
            all,
            format,
            out,
            db,
        } => export(&db, id, all, format.into(), out.as_deref(), clock).await,
        Command::Review { id, json, db } => review(&db, id, json, clock).await,
        Command::Teams { json, db } => teams(&db, json, clock).await,
        Command::Purge { team, yes, db } => purge(&db, &team, yes, clock).await,
        Command::Migrate { db } => migrate(&db, clock).await,
        Command::MigrateData { from, to, force } => migrate_data(&from, &to, force, clock).await,
        Command::Healthcheck(args) => healthcheck(&args).await,
        Command::Serve(_) | Command::Socket(_) | Command::Playground { .. } => return None,
    })
}

/// Opens the database named by `--database-url` / `DATABASE_URL`.
pub(crate) async fn open_store(db: &DbArgs, clock: &Clock) -> Result<Store, CliError> {
    let url = crate::config::validate_database_url(&db.database_url)
        .map_err(|e| CliError::new(2, e.to_string()))?;
    let tuning = db.tuning().map_err(|e| CliError::new(2, e.to_string()))?;
    Store::open_with(&url, clock.clone(), tuning)
        .await
        .map_err(|e| CliError::new(1, format!("DATABASE_URL: {e}")))
}

async fn migrate(db: &DbArgs, clock: &Clock) -> Result<(), CliError> {
    let store = open_store(db, clock).await?;
    store.close().await;
    eprintln!(
        "migrations applied to {}",
        crate::config::redacted_database_url(&db.database_url)
    );
    Ok(())
}

/// Writes `content` to `out`, or to stdout when `out` is `None`.
pub(crate) fn write_output(out: Option<&Path>, content: &str) -> Result<(), CliError> {
    match out {
        Some(path) => std::fs::write(path, content)
            .map_err(|e| CliError::new(1, format!("cannot write {}: {e}", path.display()))),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(content.as_bytes())
                .and_then(|_| {
                    if content.ends_with('\n') {
                        Ok(())
                    } else {
                        stdout.write_all(b"\n")
                    }
                })
                .map_err(|e| CliError::new(1, format!("cannot write to stdout: {e}")))
        }
    }
}

/// One session in `wb sessions --json`: the spec's keys in its order, then
/// `status` (SPEC §5.1).
#[derive(serde::Serialize)]
struct Listed<'a> {
    id: i64,
    title: &'a str,
    team_id: &'a str,
    channel_id: &'a str,
    thread_ts: &'a str,
    created_by: &'a str,
    created_at: &'a str,
    drafts: i64,
    questions: i64,
    status: crate::domain::review::Status,
}

impl<'a> From<&'a crate::domain::session::SessionSummary> for Listed<'a> {
    fn from(s: &'a crate::domain::session::SessionSummary) -> Self {
        Self {
            id: s.session.id,
            title: &s.session.title,
            team_id: &s.session.team_id,
            channel_id: &s.session.channel_id,
            thread_ts: &s.session.thread_ts,
            created_by: &s.session.created_by,
            created_at: &s.session.created_at,
            drafts: s.drafts,
            questions: s.questions,
            status: s.session.status,
        }
    }
}

async fn sessions(db: &DbArgs, json: bool, clock: &Clock) -> Result<(), CliError> {
    let store = open_store(db, clock).await?;
    let list = store.read(|tx| tx.list_sessions()).await;
    store.close().await;
    let list = list.map_err(|e| CliError::new(1, format!("reading sessions: {e}")))?;
    let text = if json {
        let rows: Vec<Listed<'_>> = list.iter().map(Listed::from).collect();
        serde_json::to_string_pretty(&rows).map_err(|e| CliError::new(1, e.to_string()))?
    } else if list.is_empty() {
        "no sessions yet: type /wb pressrelease <idea> in Slack".to_string()
    } else {
        let mut t = format!(
            "{:>4}  {:<20}  {:<12}  {:>6}  {:>9}  {:<17}  {}\n",
            "ID", "CREATED", "CHANNEL", "DRAFTS", "QUESTIONS", "STATUS", "TITLE"
        );
        for s in &list {
            t.push_str(&format!(
                "{:>4}  {:<20}  {:<12}  {:>6}  {:>9}  {:<17}  {}\n",
                s.session.id,
                s.session.created_at,
                s.session.channel_id,
                s.drafts,
                s.questions,
                s.stage(),
                crate::domain::truncate_chars(&s.session.title.replace('\n', " "), 80)
            ));
        }
        t
    };
    write_output(None, &text)
}

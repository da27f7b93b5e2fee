//! The `wb` command line: one subcommand per SPEC.md §3 entry.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{DbArgs, SlackArgs};

#[derive(Debug, Parser)]
#[command(
    name = "wb",
    version,
    about = "Working Backwards (PR/FAQ) inside Slack"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// HTTP mode (Events API): applies migrations, then listens on WB_LISTEN.
    Serve(SlackArgs),
    /// Socket Mode: same behaviour, no public URL (needs SLACK_APP_TOKEN).
    Socket(SlackArgs),
    /// List sessions: id, title, channel, created, drafts, questions.
    Sessions {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Export the doc set of one session (stdout by default), or of all of them.
    Export {
        /// Session number (see `wb sessions`).
        id: Option<i64>,
        /// Every session, one file each, into the directory given by --out.
        #[arg(long, conflicts_with = "id")]
        all: bool,
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// File (or, with --all, directory) to write instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The bar-raiser's report on a session's latest press-release draft.
    Review {
        /// Session number (see `wb sessions`).
        id: i64,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Try wb without Slack: a local page that behaves like a Slack channel
    /// and drives the real bot. Needs no environment (SLACK_* are ignored).
    Playground {
        /// Address of the page (loopback unless told otherwise).
        #[arg(long, default_value = "127.0.0.1:3000")]
        listen: String,
        /// wb's database for the playground.
        #[arg(long, default_value = "sqlite://playground.db")]
        db: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Html,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// An error for the person at the terminal, with the exit code to leave with.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub message: String,
    pub code: i32,
}

impl CliError {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
        }
    }
}

/// Writes `content` to `out`, or to stdout when `out` is `None`.
pub fn write_output(out: Option<&Path>, content: &str) -> Result<(), CliError> {
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

/// Runs a parsed command line to completion.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve(args) => serve(args, crate::config::Mode::Http).await,
        Command::Socket(args) => serve(args, crate::config::Mode::Socket).await,
        Command::Sessions { json, db } => sessions(&db, json).await,
        Command::Export {
            id,
            all,
            format,
            out,
            db,
        } => export(&db, id, all, format, out.as_deref()).await,
        Command::Review { id, json, db } => review(&db, id, json).await,
        Command::Playground { listen, db } => crate::playground::run(&listen, &db).await,
        Command::Migrate { db } => {
            let store = open_store(&db).await?;
            store.close().await;
            eprintln!("migrations applied to {}", db.database_url);
            Ok(())
        }
    }
}

async fn open_store(db: &DbArgs) -> Result<crate::store::Store, CliError> {
    let url = crate::config::validate_database_url(&db.database_url)
        .map_err(|e| CliError::new(2, e.to_string()))?;
    crate::store::Store::open(&url)
        .await
        .map_err(|e| CliError::new(1, format!("DATABASE_URL: {e:#}")))
}

async fn serve(args: SlackArgs, mode: crate::config::Mode) -> Result<(), CliError> {
    use crate::config::{Config, Mode};
    let config = Config::from_args(args, mode).map_err(|e| CliError::new(2, e.to_string()))?;
    let state = crate::app::AppState::build(config, crate::app::system_clock())
        .await
        .map_err(|e| CliError::new(1, format!("{e:#}")))?;
    let (stop, shutdown) = crate::app::shutdown_channel();
    let worker = tokio::spawn(crate::slack::outbox::run_worker(
        state.clone(),
        shutdown.clone(),
    ));
    let mut transport = match mode {
        Mode::Http => {
            let server = crate::http::HttpServer::bind(state.clone(), state.config.listen)
                .await
                .map_err(|e| CliError::new(1, format!("{e:#}")))?;
            if let Ok(addr) = server.local_addr() {
                tracing::info!(%addr, "wb serve listening");
            }
            let shutdown = shutdown.clone();
            tokio::spawn(async move {
                server.run(shutdown).await;
                Ok(())
            })
        }
        Mode::Socket => tokio::spawn(crate::socket::run(state.clone(), shutdown.clone())),
    };
    let mut failure = None;
    tokio::select! {
        _ = crate::app::wait_for_signal() => tracing::info!("shutting down"),
        ended = &mut transport => {
            failure = match ended {
                Ok(Ok(())) => None,
                Ok(Err(err)) => Some(format!("{err:#}")),
                Err(err) => Some(format!("transport task failed: {err}")),
            };
        }
    }
    let _ = stop.send(true);
    if !transport.is_finished() {
        let _ = transport.await;
    }
    let _ = worker.await;
    state.store.close().await;
    tracing::info!("stopped");
    match failure {
        Some(message) => Err(CliError::new(1, message)),
        None => Ok(()),
    }
}

async fn sessions(db: &DbArgs, json: bool) -> Result<(), CliError> {
    let store = open_store(db).await?;
    let list = store
        .list_sessions()
        .await
        .map_err(|e| CliError::new(1, format!("reading sessions: {e}")))?;
    let text = if json {
        serde_json::to_string_pretty(&list).map_err(|e| CliError::new(1, e.to_string()))?
    } else if list.is_empty() {
        "no sessions yet: type /wb pressrelease <idea> in Slack".to_string()
    } else {
        let mut t = format!(
            "{:>4}  {:<20}  {:<12}  {:>6}  {:>9}  {}\n",
            "ID", "CREATED", "CHANNEL", "DRAFTS", "QUESTIONS", "TITLE"
        );
        for s in &list {
            t.push_str(&format!(
                "{:>4}  {:<20}  {:<12}  {:>6}  {:>9}  {}\n",
                s.session.id,
                s.session.created_at,
                s.session.channel_id,
                s.drafts,
                s.questions,
                crate::domain::truncate_chars(&s.session.title.replace('\n', " "), 80)
            ));
        }
        t
    };
    store.close().await;
    write_output(None, &text)
}

/// Renders one doc set in `format`.
pub fn render(
    docset: &crate::domain::docset::DocSet,
    ctx: &crate::export::ExportContext,
    format: Format,
) -> String {
    match format {
        Format::Md => crate::export::markdown::render(docset, ctx),
        Format::Html => crate::export::html::render(docset, ctx),
        Format::Json => crate::export::json::render(docset),
    }
}

/// What the command line knows besides the doc set: names and the thread's
/// link as cached by exports from Slack (no Web API call from here).
async fn cached_context(
    store: &crate::store::Store,
    docset: &crate::domain::docset::DocSet,
) -> Result<crate::export::ExportContext, CliError> {
    let id = docset.session.id;
    let ids: Vec<String> = crate::export::user_ids(docset).into_iter().collect();
    let names = store
        .display_names(&docset.session.team_id, &ids)
        .await
        .map_err(|e| CliError::new(1, format!("reading display names: {e}")))?
        .into_iter()
        .map(|(id, cached)| (id, cached.display_name))
        .collect();
    let permalink = store
        .session_permalink(id)
        .await
        .map_err(|e| CliError::new(1, format!("reading session {id}: {e}")))?;
    Ok(crate::export::ExportContext {
        names,
        permalink,
        exported_at: crate::domain::now_rfc3339(),
        review: crate::export::review_items(
            docset,
            crate::domain::utc_date(jiff::Timestamp::now()),
        ),
    })
}

async fn load(
    store: &crate::store::Store,
    id: i64,
) -> Result<(crate::domain::docset::DocSet, crate::export::ExportContext), CliError> {
    let docset = match store.docset(id).await {
        Ok(Some(docset)) => docset,
        Ok(None) => {
            return Err(CliError::new(
                1,
                format!("no session {id}; `wb sessions` lists them"),
            ))
        }
        Err(e) => return Err(CliError::new(1, format!("reading session {id}: {e}"))),
    };
    let ctx = cached_context(store, &docset).await?;
    Ok((docset, ctx))
}

async fn export(
    db: &DbArgs,
    id: Option<i64>,
    all: bool,
    format: Format,
    out: Option<&Path>,
) -> Result<(), CliError> {
    if !all && id.is_none() {
        return Err(CliError::new(
            2,
            "give a session ID (see `wb sessions`) or --all",
        ));
    }
    if all && out.is_none() {
        return Err(CliError::new(
            2,
            "--all writes one file per session: give a directory with --out DIR",
        ));
    }
    let store = open_store(db).await?;
    let result = match (all, id) {
        (false, Some(id)) => match load(&store, id).await {
            Ok((docset, ctx)) => write_output(out, &render(&docset, &ctx, format)),
            Err(e) => Err(e),
        },
        _ => export_all(&store, format, out).await,
    };
    store.close().await;
    result
}

/// `wb export --all --out DIR`: one file per session, named `<id>-<idea>.<ext>`.
async fn export_all(
    store: &crate::store::Store,
    format: Format,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let Some(dir) = out else {
        return Err(CliError::new(
            2,
            "--all writes one file per session: give a directory with --out DIR",
        ));
    };
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::new(
            1,
            format!("{} is a file; --all needs a directory", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::new(1, format!("cannot create {}: {e}", dir.display())))?;
    let list = store
        .list_sessions()
        .await
        .map_err(|e| CliError::new(1, format!("reading sessions: {e}")))?;
    let mut written = 0;
    for s in &list {
        let (docset, ctx) = load(store, s.session.id).await?;
        let name = format!(
            "{}-{}.{}",
            s.session.id,
            crate::export::file_stem(&s.session.title, s.session.id),
            format.extension()
        );
        write_output(Some(&dir.join(name)), &render(&docset, &ctx, format))?;
        written += 1;
    }
    eprintln!("wrote {written} file(s) to {}", dir.display());
    Ok(())
}

/// `wb review <ID> [--json]`: reviews the latest draft as of today (UTC).
async fn review(db: &DbArgs, id: i64, json: bool) -> Result<(), CliError> {
    use crate::domain::bar_raiser;
    let store = open_store(db).await?;
    let found = async {
        let session = store
            .session(id)
            .await
            .map_err(|e| CliError::new(1, format!("reading session {id}: {e}")))?
            .ok_or_else(|| {
                CliError::new(1, format!("no session {id}; `wb sessions` lists them"))
            })?;
        let draft = store
            .latest_draft(id)
            .await
            .map_err(|e| CliError::new(1, format!("reading session {id}: {e}")))?
            .ok_or_else(|| {
                CliError::new(
                    1,
                    format!("session {id} has no press-release draft yet: nothing to review"),
                )
            })?;
        Ok::<_, CliError>((session, draft))
    }
    .await;
    store.close().await;
    let (session, draft) = found?;
    let today = crate::domain::utc_date(jiff::Timestamp::now());
    let findings = bar_raiser::review(&draft.fields, today);
    let text = if json {
        let report = serde_json::json!({
            "session_id": session.id,
            "version": draft.version,
            "author": draft.author,
            "created_at": draft.created_at,
            "today": today.to_string(),
            "findings": findings,
        });
        serde_json::to_string_pretty(&report).map_err(|e| CliError::new(1, e.to_string()))?
    } else {
        review_text(&session.title, &draft, &findings)
    };
    write_output(None, &text)
}

/// The plain-text report: findings grouped by rule, each with quote and fix.
fn review_text(
    title: &str,
    draft: &crate::domain::draft::Draft,
    findings: &[crate::domain::bar_raiser::Finding],
) -> String {
    let mut out = format!(
        "Bar-raiser review: {} (draft v{} by {}, {})\n",
        crate::domain::truncate_chars(&title.replace('\n', " "), 80),
        draft.version,
        draft.author,
        draft.created_at
    );
    if findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str(&format!(
        "{} finding(s). Advice only: the draft is saved either way.\n",
        findings.len()
    ));
    let mut current = "";
    for f in findings {
        if f.rule != current {
            current = f.rule;
            let title = crate::domain::bar_raiser::rule(f.rule).map_or(f.rule, |r| r.title);
            out.push_str(&format!(
                "\n{title} [{}] ({})\n",
                f.rule,
                f.severity.as_str()
            ));
        }
        let place = f
            .section
            .map(|s| format!("{}: ", s.label()))
            .unwrap_or_default();
        match &f.quote {
            Some(q) => out.push_str(&format!("  - {place}\"{q}\"\n    → {}\n", f.suggestion)),
            None => out.push_str(&format!("  - {place}{}\n", f.suggestion)),
        }
    }
    out
}

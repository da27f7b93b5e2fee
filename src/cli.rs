//! The `wb` command line: its subcommands and flags (clap), one per entry of
//! the README's command reference, and the error a subcommand exits with.
//! Running them is `startup` (the bot) and `offline` (the database alone).

use std::path::PathBuf;

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
    /// Log lines as `text` or `json` (one object per line, with span fields).
    #[arg(
        long = "log-format",
        env = "WB_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// HTTP mode (Events API): applies migrations, then listens on WB_LISTEN.
    Serve(SlackArgs),
    /// Socket Mode: same behaviour, no public URL (needs SLACK_APP_TOKEN).
    Socket(SlackArgs),
    /// List sessions: id, title, channel, created, drafts, questions, status.
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
    /// List the workspaces wb is installed in: team, org, who installed it
    /// and when, scopes, token rotation, sessions. Never a token.
    Teams {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Delete a workspace's data: its sessions and everything in them, and
    /// the display names cached for it. Asks first on a terminal.
    Purge {
        /// The workspace (T…), or an Enterprise Grid org (E…) for every
        /// workspace of an org-wide install.
        #[arg(long, value_name = "ID")]
        team: String,
        /// Do not ask (needed when not on a terminal).
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Copy every row of one database into another (e.g. SQLite to
    /// PostgreSQL), ids and timestamps kept, then compare the exports of both.
    MigrateData {
        /// The database to copy from, e.g. sqlite://wb.db.
        #[arg(long, value_name = "URL")]
        from: String,
        /// The database to copy into, e.g. postgres://user@host/wb.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Empty a target that already holds rows, then copy.
        #[arg(long)]
        force: bool,
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
    /// Ask a running wb whether it is ready (`GET /readyz`): exit 0 if so,
    /// 1 if not. For container health checks, in both modes; asks
    /// WB_ADMIN_LISTEN when set, else WB_LISTEN.
    Healthcheck(HealthcheckArgs),
}

/// Where `wb healthcheck` asks.
#[derive(Debug, Clone, clap::Args)]
pub struct HealthcheckArgs {
    /// The operations address of the wb to check (preferred when set).
    #[arg(long = "admin-listen", env = "WB_ADMIN_LISTEN")]
    pub admin_listen: Option<String>,
    /// The `wb serve` address, asked when no admin address is set.
    #[arg(long = "listen", env = "WB_LISTEN", default_value = "0.0.0.0:3000")]
    pub listen: String,
    /// The route to ask: `/readyz` (ready to work) or `/healthz` (database answers).
    #[arg(long, default_value = "/readyz")]
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Html,
    Json,
}

impl From<Format> for crate::export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Md => crate::export::Format::Markdown,
            Format::Html => crate::export::Format::Html,
            Format::Json => crate::export::Format::Json,
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

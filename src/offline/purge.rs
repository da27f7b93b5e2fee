//! `wb purge --team T… [--yes]`: deletes a workspace's data — its sessions
//! and everything in them, and the display names cached for it — in short
//! writes (a running wb keeps working meanwhile). On a terminal it asks
//! first (type the id to confirm) and shows progress; piped, it needs
//! `--yes` and says nothing unless something fails. The installation (its
//! token) stays: Slack's uninstall deletes that.

use std::io::{BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::open_store;
use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::DbArgs;
use crate::domain::tenant::InstallKey;
use crate::flows::install::{purge_batch, sessions_of, PURGE_BATCH};

pub async fn purge(db: &DbArgs, team: &str, yes: bool, clock: &Clock) -> Result<(), CliError> {
    let scope = InstallKey::of_id(team).ok_or_else(|| {
        CliError::new(
            2,
            format!("--team: `{team}` is not a workspace id like T0123ABCD (or an org id E…)"),
        )
    })?;
    let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !yes && !on_terminal {
        return Err(CliError::new(
            2,
            "wb purge deletes data for good: run it on a terminal to confirm, or pass --yes",
        ));
    }
    let store = open_store(db, clock).await?;
    let result = run(&store, &scope, yes, on_terminal).await;
    store.close().await;
    result
}

async fn run(
    store: &crate::store::Store,
    scope: &InstallKey,
    yes: bool,
    on_terminal: bool,
) -> Result<(), CliError> {
    let failed = |e: crate::store::StoreError| CliError::new(1, format!("purging: {e}"));
    let total = sessions_of(store, scope).await.map_err(failed)?;
    let id = match scope {
        InstallKey::Team(t) | InstallKey::Enterprise(t) => t.as_str(),
    };
    if !yes && !confirm(id, total)? {
        return Err(CliError::new(1, "nothing deleted"));
    }
    let bar = if on_terminal {
        let bar =
            ProgressBar::with_draw_target(Some(total.max(0) as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} sessions deleted") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut deleted = 0_u64;
    loop {
        let n = purge_batch(store, scope, PURGE_BATCH)
            .await
            .map_err(failed)?;
        if n == 0 {
            break;
        }
        deleted += n as u64;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    if on_terminal {
        eprintln!("deleted {deleted} session(s) of {id} and the names cached for it");
    }
    tracing::debug!(install = %scope.stored(), sessions = deleted, "workspace data purged");
    Ok(())
}

/// Asks on the terminal; true when the id was typed back.
fn confirm(id: &str, sessions: i64) -> Result<bool, CliError> {
    let mut err = std::io::stderr().lock();
    let asked = write!(
        err,
        "This deletes the {sessions} session(s) of {id} and everything in them, for good.\nType {id} to confirm: "
    )
    .and_then(|_| err.flush());
    asked.map_err(|e| CliError::new(1, format!("cannot ask on the terminal: {e}")))?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::new(1, format!("cannot read the answer: {e}")))?;
    Ok(answer.trim() == id)
}

//! `wb export <ID> [--format md|html|json] [--out FILE]` and
//! `wb export --all --out DIR`: the doc set as the export into Slack renders
//! it, with display names and the thread's link as cached by those exports.

use std::path::Path;

use super::{open_store, write_output};
use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::DbArgs;
use crate::domain::docset::DocSet;
use crate::export::{self, ExportContext, Format};
use crate::flows;
use crate::store::Store;

async fn load(store: &Store, id: i64, clock: &Clock) -> Result<(DocSet, ExportContext), CliError> {
    match flows::export::load_cached(store, id, clock.now()).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(CliError::new(
            1,
            format!("no session {id}; `wb sessions` lists them"),
        )),
        Err(e) => Err(CliError::new(1, format!("reading session {id}: {e}"))),
    }
}

pub async fn export(
    db: &DbArgs,
    id: Option<i64>,
    all: bool,
    format: Format,
    out: Option<&Path>,
    clock: &Clock,
) -> Result<(), CliError> {
    if !all && id.is_none() {
        return Err(CliError::new(
            2,
            "give a session ID (see `wb sessions`) or --all",
        ));
    }
    let dir = match (all, out) {
        (true, None) => {
            return Err(CliError::new(
                2,
                "--all writes one file per session: give a directory with --out DIR",
            ))
        }
        (true, Some(dir)) => Some(dir),
        (false, _) => None,
    };
    let store = open_store(db, clock).await?;
    let result = match (dir, id) {
        (Some(dir), _) => export_all(&store, format, dir, clock).await,
        (None, Some(id)) => match load(&store, id, clock).await {
            Ok((docset, ctx)) => write_output(out, &export::render(&docset, &ctx, format)),
            Err(e) => Err(e),
        },
        (None, None) => Ok(()),
    };
    store.close().await;
    result
}

/// One file per session, named `<id>-<idea>.<ext>`.
async fn export_all(
    store: &Store,
    format: Format,
    dir: &Path,
    clock: &Clock,
) -> Result<(), CliError> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::new(
            1,
            format!("{} is a file; --all needs a directory", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::new(1, format!("cannot create {}: {e}", dir.display())))?;
    let list = store
        .read(|tx| tx.list_sessions())
        .await
        .map_err(|e| CliError::new(1, format!("reading sessions: {e}")))?;
    let mut written = 0;
    for s in &list {
        let (docset, ctx) = load(store, s.session.id, clock).await?;
        let name = format!(
            "{}-{}.{}",
            s.session.id,
            export::file_stem(&s.session.title, s.session.id),
            format.extension()
        );
        write_output(
            Some(&dir.join(name)),
            &export::render(&docset, &ctx, format),
        )?;
        written += 1;
    }
    eprintln!("wrote {written} file(s) to {}", dir.display());
    Ok(())
}

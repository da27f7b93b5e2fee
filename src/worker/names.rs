//! What an export into Slack needs besides the doc set: display names (`users.info`,
//! cached in the database) and the thread's permalink (`chat.getPermalink`,
//! cached on the session). Neither can fail an export: a name that cannot be
//! resolved shows as `@U123`, a missing link is left out.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::app::AppState;
use crate::domain::docset::DocSet;
use crate::domain::session::Session;
use crate::domain::tenant::Workspace;
use crate::export::{self, ExportContext};
use crate::flows;
use crate::webapi::{users, ApiError};

/// A cached name is trusted this long before `users.info` is asked again.
const NAME_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// At most this many `users.info` calls per export (Tier 4: ~100 a minute)…
const MAX_LOOKUPS: usize = 50;
/// …and no longer than this in all: past it, ids show as `@U123`.
const LOOKUP_BUDGET: Duration = Duration::from_secs(10);

/// Names and the thread's link; neither can fail the export.
pub async fn context(app: &AppState, docset: &DocSet) -> ExportContext {
    let names = names(app, docset).await;
    let permalink = permalink(app, &docset.session).await;
    flows::export::context(docset, names, permalink, app.clock.now())
}

/// Display names: from the cache while fresh, else `users.info` (within a
/// budget), else a stale cached name, else nothing (the export shows `@U123`).
async fn names(app: &AppState, docset: &DocSet) -> HashMap<String, String> {
    let team = &docset.session.team_id;
    let ws = docset.session.workspace();
    let ids: Vec<String> = export::user_ids(docset).into_iter().collect();
    let cached = flows::export::cached_names(&app.store, docset)
        .await
        .unwrap_or_else(|err| {
            tracing::warn!(%err, "could not read cached display names");
            HashMap::new()
        });
    let now = app.clock.now();
    let fresh = |fetched_at: &str| {
        fetched_at
            .parse::<jiff::Timestamp>()
            .ok()
            .and_then(|t| now.duration_since(t).try_into().ok())
            .is_some_and(|age: Duration| age < NAME_TTL)
    };
    let started = Instant::now();
    let mut lookups = 0;
    let mut give_up = false;
    let mut names = HashMap::with_capacity(ids.len());
    for id in ids {
        let known = cached.get(&id);
        if let Some(c) = known.filter(|c| fresh(&c.fetched_at)) {
            names.insert(id, c.display_name.clone());
            continue;
        }
        let can_ask = !give_up
            && lookups < MAX_LOOKUPS
            && started.elapsed() < LOOKUP_BUDGET
            && looks_like_user(&id);
        if can_ask {
            lookups += 1;
            match lookup(app, &ws, &id).await {
                Ok(name) => {
                    let (t, u, n) = (team.clone(), id.clone(), name.clone());
                    if let Err(err) = app
                        .store
                        .write(move |tx| tx.save_display_name(&t, &u, &n))
                        .await
                    {
                        tracing::warn!(%err, user = %id, "could not cache a display name");
                    }
                    names.insert(id, name);
                    continue;
                }
                Err(err) => {
                    tracing::info!(user = %id, error = %err, "users.info failed; the export shows the id");
                    give_up = matches!(err, ApiError::RateLimited { .. });
                }
            }
        }
        if let Some(c) = known {
            names.insert(id, c.display_name.clone());
        }
    }
    names
}

fn looks_like_user(id: &str) -> bool {
    (id.starts_with('U') || id.starts_with('W'))
        && id.len() <= 32
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

async fn lookup(app: &AppState, ws: &Workspace, user_id: &str) -> Result<String, ApiError> {
    users::info(&app.slack, ws, user_id)
        .await?
        .display_name
        .ok_or_else(|| ApiError::Permanent("users.info answered without a name".into()))
}

async fn permalink(app: &AppState, session: &Session) -> Option<String> {
    let id = session.id;
    match app.store.read(move |tx| tx.session_permalink(id)).await {
        Ok(Some(link)) => return Some(link),
        Ok(None) => {}
        Err(err) => tracing::warn!(%err, "could not read the cached permalink"),
    }
    let answer = app
        .slack
        .get(
            &session.workspace(),
            "chat.getPermalink",
            &[
                ("channel", session.channel_id.clone()),
                ("message_ts", session.thread_ts.clone()),
            ],
        )
        .await;
    match answer {
        Ok(a) => {
            let link = a["permalink"].as_str()?.to_string();
            let stored = link.clone();
            if let Err(err) = app
                .store
                .write(move |tx| tx.set_session_permalink(id, &stored))
                .await
            {
                tracing::warn!(%err, "could not cache the permalink");
            }
            Some(link)
        }
        Err(err) => {
            tracing::info!(error = %err, "chat.getPermalink failed; the export goes without the link");
            None
        }
    }
}

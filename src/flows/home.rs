//! The Home tab: a portfolio of the workspace's sessions by stage, published
//! for the user who opened it. Opening queues `Job::PublishHome` (at most one
//! pending per user); the worker renders it from the database when it runs,
//! after looking up the thread links it does not know yet.

use crate::app::AppState;
use crate::domain::portfolio::Portfolio;
use crate::domain::tenant::Workspace;
use crate::jobs::Job;
use crate::store::outbox::Schedule;
use crate::store::{StoreResult, Tx};
use crate::views::home::home_view;

/// Sessions read for the tab: more than its 100 blocks can show.
const READ: i64 = 100;

/// Queues the publication of `user`'s Home tab in `workspace`, inside the
/// caller's write; while one is pending, this does nothing (it renders the
/// latest anyway).
pub fn publish_in(tx: &mut Tx<'_>, workspace: &Workspace, user: &str) -> StoreResult<()> {
    let key = format!("home:{}:{user}", workspace.team_id);
    tx.enqueue_with(
        &Job::PublishHome {
            team_id: workspace.team_id.clone(),
            user_id: user.to_string(),
            enterprise_id: workspace.enterprise_id.clone(),
        },
        Schedule {
            delay_ms: 0,
            dedupe_key: Some(&key),
        },
    )?;
    Ok(())
}

/// `team`'s portfolio as `user` sees it.
pub async fn portfolio(app: &AppState, team: &str, user: &str) -> StoreResult<Portfolio> {
    let (team, user) = (team.to_string(), user.to_string());
    app.store
        .read(move |tx| tx.portfolio(&team, &user, READ))
        .await
}

/// Remembers thread links looked up for the tab (a thread's link never
/// changes).
pub async fn remember_links(app: &AppState, links: Vec<(i64, String)>) -> StoreResult<()> {
    if links.is_empty() {
        return Ok(());
    }
    app.store
        .write(move |tx| {
            for (id, link) in &links {
                tx.set_session_permalink(*id, link)?;
            }
            Ok(())
        })
        .await
}

/// The `views.publish` body of `user`'s Home tab.
pub fn publish_body(user: &str, portfolio: &Portfolio) -> serde_json::Value {
    serde_json::json!({"user_id": user, "view": home_view(portfolio)})
}

//! `app_home_opened`: publish the Home tab (how to use wb, the team's latest sessions).

use std::sync::Arc;

use serde_json::json;
use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::slack::jobs::Job;
use crate::slack::views::home::home_view;

/// Sessions the Home tab lists.
const SHOWN: i64 = 10;

/// The `views.publish` a user opening the Home tab is owed (none for the
/// Messages tab).
pub async fn job(
    state: &Arc<AppState>,
    team_id: &str,
    ev: &SlackAppHomeOpenedEvent,
) -> anyhow::Result<Option<Job>> {
    if ev.tab.as_deref().is_some_and(|t| t != "home") {
        return Ok(None);
    }
    let sessions = state.store.list_team_sessions(team_id, SHOWN).await?;
    let body = json!({"user_id": ev.user.0, "view": home_view(&sessions)});
    Ok(Some(Job::call("views.publish", body)))
}

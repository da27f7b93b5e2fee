//! `app_home_opened`: publish the Home tab (how to use wb, the team's latest sessions).

use std::sync::Arc;

use serde_json::json;
use slack_morphism::prelude::*;
use sqlx::{Sqlite, Transaction};

use super::Handled;
use crate::app::AppState;
use crate::slack::jobs::Job;
use crate::slack::views::home::home_view;

/// Sessions the Home tab lists.
const SHOWN: i64 = 10;

pub async fn opened(
    state: &Arc<AppState>,
    tx: &mut Transaction<'_, Sqlite>,
    team_id: &str,
    ev: &SlackAppHomeOpenedEvent,
) -> anyhow::Result<Handled> {
    if ev.tab.as_deref().is_some_and(|t| t != "home") {
        return Ok(Handled::default());
    }
    let sessions = state.store.list_team_sessions(team_id, SHOWN).await?;
    let body = json!({"user_id": ev.user.0, "view": home_view(&sessions)});
    state
        .enqueue_in(tx, &Job::call("views.publish", body))
        .await?;
    Ok(Handled {
        queued_jobs: true,
        refresh: None,
    })
}

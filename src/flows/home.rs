//! The Home tab: what wb does and the team's latest sessions, published for
//! the user who opened it.

use serde_json::json;

use crate::app::AppState;
use crate::jobs::Job;
use crate::store::StoreResult;
use crate::views::home::home_view;

/// Sessions the Home tab lists.
const SHOWN: i64 = 10;

/// The `views.publish` that shows `user` of `team` their Home tab.
pub async fn publish_job(app: &AppState, team: &str, user: &str) -> StoreResult<Job> {
    let team = team.to_string();
    let sessions = app
        .store
        .read(move |tx| tx.team_sessions(&team, SHOWN))
        .await?;
    let body = json!({"user_id": user, "view": home_view(&sessions)});
    Ok(Job::call("views.publish", body))
}

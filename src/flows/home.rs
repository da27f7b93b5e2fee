//! The Home tab: what wb does and the team's latest sessions (with their
//! internal FAQ's coverage), published for the user who opened it.

use std::collections::HashMap;

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
    let (sessions, coverage) = app
        .store
        .read(move |tx| {
            let sessions = tx.team_sessions(&team, SHOWN)?;
            let mut coverage = HashMap::with_capacity(sessions.len());
            for s in &sessions {
                coverage.insert(s.session.id, tx.coverage(s.session.id)?);
            }
            Ok((sessions, coverage))
        })
        .await?;
    let body = json!({"user_id": user, "view": home_view(&sessions, &coverage)});
    Ok(Job::call("views.publish", body))
}

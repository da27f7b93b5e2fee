//! Publishing a Home tab: the portfolio is read when the job runs, the thread
//! links not known yet are looked up (`chat.getPermalink`, a few per
//! publication, remembered for next time; a session without one is shown
//! unlinked), then `views.publish`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::app::AppState;
use crate::domain::tenant::Workspace;
use crate::flows;
use crate::jobs::Attempt;

/// Links looked up per publication at most, and for how long: the tab is
/// published either way, and fills in more links the next time it opens.
const LOOKUPS: usize = 25;
const LOOKUP_BUDGET: Duration = Duration::from_secs(3);

pub async fn run(app: &AppState, ws: &Workspace, user: &str) -> Attempt {
    let mut portfolio = match flows::home::portfolio(app, &ws.team_id, user).await {
        Ok(p) => p,
        Err(err) => return Attempt::Failed(err.into()),
    };
    let mut wanted: Vec<(i64, String, String)> = Vec::new();
    for e in portfolio.yours.iter().chain(&portfolio.recent) {
        if e.permalink.is_none() && !wanted.iter().any(|(id, _, _)| *id == e.session.id) {
            wanted.push((
                e.session.id,
                e.session.channel_id.clone(),
                e.session.thread_ts.clone(),
            ));
        }
    }
    let started = Instant::now();
    let mut found: Vec<(i64, String)> = Vec::new();
    for (id, channel, ts) in wanted.into_iter().take(LOOKUPS) {
        if started.elapsed() > LOOKUP_BUDGET {
            break;
        }
        let answer = app
            .slack
            .get(
                ws,
                "chat.getPermalink",
                &[("channel", channel), ("message_ts", ts)],
            )
            .await;
        match answer {
            Ok(a) => {
                if let Some(link) = a["permalink"].as_str() {
                    found.push((id, link.to_string()));
                }
            }
            Err(err) => {
                tracing::info!(error = %err, session = id, "no thread link for the Home tab");
                break;
            }
        }
    }
    let links: HashMap<i64, String> = found.iter().cloned().collect();
    for e in portfolio
        .recent
        .iter_mut()
        .chain(portfolio.yours.iter_mut())
    {
        if let Some(link) = links.get(&e.session.id) {
            e.permalink = Some(link.clone());
        }
    }
    if let Err(err) = flows::home::remember_links(app, found).await {
        tracing::warn!(%err, "could not remember thread links");
    }
    let body = flows::home::publish_body(user, &portfolio);
    match app.slack.call(ws, "views.publish", &body).await {
        Ok(_) => Attempt::Done,
        Err(err) => Attempt::Failed(err.into()),
    }
}

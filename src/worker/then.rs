//! What a posted message owes once Slack answered: its `ts` recorded
//! through the use case that asked for it (a question's post, so a 👍 on it
//! votes; a reading copy, so the end of reading can update it).

use serde_json::Value;

use crate::app::AppState;
use crate::flows;
use crate::jobs::{Failure, Then};

/// Records what a successful call owes (the posted message's `ts`).
pub async fn after(app: &AppState, next: &Then, answer: &Value) -> Result<(), Failure> {
    let Some(ts) = answer["ts"].as_str() else {
        return Ok(());
    };
    match next {
        Then::QuestionMessage { question_id } => flows::ask::posted(app, *question_id, ts).await?,
        Then::ReadingMessage { review_id } => {
            flows::review::reading::copy_posted(app, *review_id, ts).await?
        }
    }
    Ok(())
}

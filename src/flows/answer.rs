//! Answering: the questions to pick from (unanswered first, most votes
//! first), and an answer stored with who and when (earlier answers stay as
//! history) and posted in the thread, quoting the question; the question is
//! `answered` from then on, and the root message's counts follow.

use super::root;
use crate::app::AppState;
use crate::domain::faq::OpenQuestion;
use crate::domain::tenant::Tenant;
use crate::jobs::{Job, Notify};
use crate::store::questions::QuestionCounts;
use crate::store::StoreResult;
use crate::views::answer::answer_post;

/// The questions the Answer form lists (at most `limit`) and the counts.
pub async fn to_answer(
    app: &AppState,
    session_id: i64,
    limit: i64,
) -> StoreResult<(Vec<OpenQuestion>, QuestionCounts)> {
    app.store
        .read(move |tx| {
            Ok((
                tx.questions_to_answer(session_id, limit)?,
                tx.question_counts(session_id)?,
            ))
        })
        .await
}

/// What answering came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Saved,
    /// The question is gone, belongs to another session, or the session to
    /// another workspace.
    Gone,
    /// The question was merged into this one meanwhile: answer that one.
    Merged {
        into: i64,
    },
}

/// Stores `answer` by `user` of `tenant` to question `question_id` of
/// session `session_id` and queues its thread post.
pub async fn answer(
    app: &AppState,
    tenant: &Tenant,
    session_id: i64,
    question_id: i64,
    answer: &str,
    user: &str,
) -> StoreResult<Answered> {
    let (tenant, answer, user) = (tenant.clone(), answer.to_string(), user.to_string());
    let saved = app
        .store
        .write(move |tx| {
            let question = match tx.question(question_id)? {
                Some(q) if q.session_id == session_id => q,
                _ => return Ok(Answered::Gone),
            };
            // Another workspace's question is as good as absent: checked
            // before anything about it (its merge) is told.
            let Some(session) = tx
                .session(question.session_id)?
                .filter(|s| tenant.owns_workspace(&s.workspace()))
            else {
                return Ok(Answered::Gone);
            };
            if let Some(into) = question.merged_into {
                return Ok(Answered::Merged { into });
            }
            tx.insert_answer(question.id, &answer, &user)?;
            let text = answer_post(&question.question, &answer, &user);
            let job = Job::post_in_thread(
                &session.workspace(),
                &session.channel_id,
                &session.thread_ts,
                &text,
            )
            .with_notify(Notify {
                user_id: user.clone(),
                channel_id: session.channel_id.clone(),
                thread_ts: Some(session.thread_ts.clone()),
                response_url: None,
                what: "post your answer in the thread (it is saved in the FAQ)".into(),
            });
            tx.enqueue(&job)?;
            tx.touch_session(session.id)?;
            root::refresh_in(tx, session.id, root::DEBOUNCE_MS)?;
            Ok(Answered::Saved)
        })
        .await?;
    app.wake_outbox();
    Ok(saved)
}

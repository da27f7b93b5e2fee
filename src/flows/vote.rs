//! 👍 votes on captured questions: a `+1` reaction in any skin tone, on the
//! asker's reply or on the bot's post of the question. One vote per user (the
//! `question_votes` key); a removal deletes exactly that user's vote, so the
//! count never goes negative.

use crate::domain::faq::is_vote;
use crate::domain::tenant::Tenant;
use crate::store::{StoreResult, Tx};

/// A reaction on a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub user: String,
    pub name: String,
    pub channel: String,
    pub ts: String,
}

/// The question the reacted message shows, if the reaction is a vote and
/// the question's session belongs to `tenant` (a reaction delivered for
/// another workspace never counts).
fn voted_question(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    reaction: &Reaction,
) -> StoreResult<Option<i64>> {
    if !is_vote(&reaction.name) {
        return Ok(None);
    }
    Ok(tx
        .question_by_message(&reaction.channel, &reaction.ts)?
        .filter(|(_, s)| tenant.owns_workspace(&s.workspace()))
        .map(|(id, _)| id))
}

/// Counts a vote (once per user).
pub fn added_in(tx: &mut Tx<'_>, tenant: &Tenant, reaction: &Reaction) -> StoreResult<()> {
    if let Some(question) = voted_question(tx, tenant, reaction)? {
        let counted = tx.add_vote(question, &reaction.user)?;
        tracing::debug!(question, counted, "vote");
    }
    Ok(())
}

/// Withdraws that user's vote.
pub fn removed_in(tx: &mut Tx<'_>, tenant: &Tenant, reaction: &Reaction) -> StoreResult<()> {
    if let Some(question) = voted_question(tx, tenant, reaction)? {
        let removed = tx.remove_vote(question, &reaction.user)?;
        tracing::debug!(question, removed, "vote withdrawn");
    }
    Ok(())
}

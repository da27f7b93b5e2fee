//! 👍 votes on captured questions: `reaction_added` / `reaction_removed` with
//! `+1` in any skin tone, on the asker's reply or on the bot's post of the
//! question. One vote per user (the `question_votes` key); a removal deletes
//! exactly that user's vote, so the count never goes negative.

use crate::store::Conn;
use slack_morphism::prelude::*;

use super::Handled;
use crate::domain::faq::is_vote;
use crate::domain::now_rfc3339;
use crate::store::Store;

/// The question shown by the reacted message, if the reaction is a vote.
fn voted_question(
    tx: &Conn,
    reaction: &SlackReactionName,
    item: &SlackReactionsItem,
) -> anyhow::Result<Option<i64>> {
    if !is_vote(&reaction.0) {
        return Ok(None);
    }
    let SlackReactionsItem::Message(message) = item else {
        return Ok(None);
    };
    let Some(channel) = message.origin.channel.as_ref() else {
        return Ok(None);
    };
    Ok(Store::question_by_message_in(
        tx,
        &channel.0,
        &message.origin.ts.0,
    )?)
}

#[tracing::instrument(skip_all, fields(user = %ev.user, reaction = %ev.reaction.0))]
pub fn added(tx: &Conn, ev: &SlackReactionAddedEvent) -> anyhow::Result<Handled> {
    if let Some(question) = voted_question(tx, &ev.reaction, &ev.item)? {
        let counted = Store::add_vote_in(tx, question, &ev.user.0, &now_rfc3339())?;
        tracing::debug!(question, counted, "vote");
    }
    Ok(Handled::default())
}

#[tracing::instrument(skip_all, fields(user = %ev.user, reaction = %ev.reaction.0))]
pub fn removed(tx: &Conn, ev: &SlackReactionRemovedEvent) -> anyhow::Result<Handled> {
    if let Some(question) = voted_question(tx, &ev.reaction, &ev.item)? {
        let removed = Store::remove_vote_in(tx, question, &ev.user.0)?;
        tracing::debug!(question, removed, "vote withdrawn");
    }
    Ok(Handled::default())
}

//! 👍 votes on captured questions: `reaction_added` / `reaction_removed` with
//! `+1` in any skin tone, on the asker's reply or on the bot's post of the
//! question. One vote per user (the `question_votes` key); a removal deletes
//! exactly that user's vote, so the count never goes negative.

use std::sync::Arc;

use slack_morphism::prelude::*;
use sqlx::{Sqlite, Transaction};

use super::Handled;
use crate::app::AppState;
use crate::domain::faq::is_vote;
use crate::domain::now_rfc3339;
use crate::store::Store;

type Tx<'t> = Transaction<'t, Sqlite>;

/// The question shown by the reacted message, if the reaction is a vote.
async fn voted_question(
    tx: &mut Tx<'_>,
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
    Ok(Store::question_by_message_in(tx, &channel.0, &message.origin.ts.0).await?)
}

#[tracing::instrument(skip_all, fields(user = %ev.user, reaction = %ev.reaction.0))]
pub async fn added(
    _state: &Arc<AppState>,
    tx: &mut Tx<'_>,
    ev: &SlackReactionAddedEvent,
) -> anyhow::Result<Handled> {
    if let Some(question) = voted_question(tx, &ev.reaction, &ev.item).await? {
        let counted = Store::add_vote_in(tx, question, &ev.user.0, &now_rfc3339()).await?;
        tracing::debug!(question, counted, "vote");
    }
    Ok(Handled::default())
}

#[tracing::instrument(skip_all, fields(user = %ev.user, reaction = %ev.reaction.0))]
pub async fn removed(
    _state: &Arc<AppState>,
    tx: &mut Tx<'_>,
    ev: &SlackReactionRemovedEvent,
) -> anyhow::Result<Handled> {
    if let Some(question) = voted_question(tx, &ev.reaction, &ev.item).await? {
        let removed = Store::remove_vote_in(tx, question, &ev.user.0).await?;
        tracing::debug!(question, removed, "vote withdrawn");
    }
    Ok(Handled::default())
}

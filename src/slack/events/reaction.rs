//! 👍 votes on captured questions: built by the FAQ-capture issue.

use std::sync::Arc;

use slack_morphism::prelude::*;
use sqlx::{Sqlite, Transaction};

use super::Handled;
use crate::app::AppState;

pub async fn added(
    _state: &Arc<AppState>,
    _tx: &mut Transaction<'_, Sqlite>,
    _ev: &SlackReactionAddedEvent,
) -> anyhow::Result<Handled> {
    Ok(Handled::default())
}

pub async fn removed(
    _state: &Arc<AppState>,
    _tx: &mut Transaction<'_, Sqlite>,
    _ev: &SlackReactionRemovedEvent,
) -> anyhow::Result<Handled> {
    Ok(Handled::default())
}

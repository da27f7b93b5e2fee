//! `message` events in session threads: built by the FAQ-capture issue.

use std::sync::Arc;

use slack_morphism::prelude::*;
use sqlx::{Sqlite, Transaction};

use super::Handled;
use crate::app::AppState;

pub async fn handle(
    _state: &Arc<AppState>,
    _tx: &mut Transaction<'_, Sqlite>,
    _cb: &SlackPushEventCallback,
    _msg: &SlackMessageEvent,
) -> anyhow::Result<Handled> {
    Ok(Handled::default())
}

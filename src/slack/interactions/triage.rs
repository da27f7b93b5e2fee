//! The *Triage* button and the Triage modal: its pages and filter
//! (`views.update`), *Un-merge*, and *Edit*, which pushes a view for one
//! question whose submission saves state, owner, family or a merge, then
//! shows the modal's page again as it is now.

use std::sync::Arc;

use slack_morphism::prelude::*;

use crate::app::AppState;
use crate::domain::session::Session;
use crate::domain::tenant::Tenant;
use crate::domain::triage::Filter;
use crate::flows::notify::tell;
use crate::flows::triage::{self, Edit, Edited, Unmerged};
use crate::slack::modal::{self, private_metadata, state_values};
use crate::slack::registry::ViewAction;
use crate::slack::InteractionReply;
use crate::views::triage::edit::{
    edit_modal, read_edit, read_edit_meta, EditMeta, BLOCK_MERGE_ID, BLOCK_STATE,
};
use crate::views::triage::{read_list_meta, ListMeta};

/// The modal's page `meta` of `tenant`'s session as stored now, with
/// `notice`; `None` for a session that is gone or another workspace's.
async fn render(
    app: &AppState,
    tenant: &Tenant,
    meta: &ListMeta,
    notice: Option<String>,
) -> Option<serde_json::Value> {
    match triage::page(app, tenant, meta.session_id, meta.filter(), meta.page).await {
        Ok(Some(p)) => Some(p.modal(notice)),
        Ok(None) => None,
        Err(err) => {
            tracing::error!(%err, "could not read the triage page");
            None
        }
    }
}

/// The button on the root message (and `/wb triage`, through the same page).
#[tracing::instrument(skip_all, fields(session = session.id))]
pub async fn open(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    session: &Session,
) {
    let response_url = ev.response_url.as_ref().map(|u| u.0.to_string());
    let url = response_url.as_deref();
    let page = match triage::page(app, tenant, session.id, Filter::default(), 0).await {
        Ok(Some(page)) => page,
        Ok(None) => return tell(app, url, ":warning: That session no longer exists.").await,
        Err(err) => {
            tracing::error!(%err, "could not read the triage page");
            let text = ":warning: I couldn't read the questions just now (database error). Please try again.";
            return tell(app, url, text).await;
        }
    };
    if page.is_empty() {
        let text = format!(
            "Session #{} has no questions to triage yet. Ask one in its thread (end it with `?`, or `IQ:` for an internal one).",
            session.id
        );
        return tell(app, url, &text).await;
    }
    modal::open(
        app,
        tenant.workspace(),
        &ev.trigger_id.0,
        page.modal(None),
        response_url.clone(),
        "Type `/wb triage` in the channel instead.",
    );
}

/// A control inside the Triage modal. Its metadata names a session: every
/// read and change below is keyed on the clicker's `tenant` as well.
#[tracing::instrument(skip_all, fields(action = kind.id()))]
pub async fn on_view_action(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionBlockActionsEvent,
    action: &SlackInteractionActionInfo,
    kind: ViewAction,
) {
    let Some(SlackView::Modal(view)) = &ev.view else {
        return;
    };
    let Some(mut meta) = view.private_metadata.as_deref().and_then(read_list_meta) else {
        tracing::warn!("a triage control without its modal's metadata");
        return;
    };
    let view_id = match &ev.container {
        SlackInteractionActionContainer::View(c) => c.view_id.0.clone(),
        _ => return,
    };
    let user = ev.user.as_ref().map(|u| u.id.0.clone()).unwrap_or_default();
    let number = action
        .value
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let notice = match kind {
        ViewAction::TriageEdit => {
            let Some(question_id) = number else { return };
            match triage::question_to_edit(app, tenant, meta.session_id, question_id).await {
                Ok(Some((question, targets))) => {
                    let edit_meta = EditMeta {
                        session_id: meta.session_id,
                        question_id,
                        filter: meta.filter.clone(),
                        page: meta.page,
                    };
                    modal::push(
                        app,
                        tenant.workspace(),
                        &ev.trigger_id.0,
                        edit_modal(&edit_meta, &question, &targets),
                    );
                    return;
                }
                Ok(None) => Some(format!(
                    ":warning: Question #{question_id} is gone (deleted in the thread)."
                )),
                Err(err) => {
                    tracing::error!(%err, "could not read a question to edit");
                    Some(":warning: I couldn't read that question just now (database error). Please try again.".into())
                }
            }
        }
        ViewAction::TriageUnmerge => {
            let Some(question_id) = number else { return };
            match triage::unmerge(app, tenant, meta.session_id, question_id, &user).await {
                Ok(Unmerged::Done { kept }) => Some(format!(
                    ":leftwards_arrow_with_hook: Un-merged #{question_id} from #{kept}: each counts its own votes again."
                )),
                Ok(Unmerged::NotMerged) => Some(format!("#{question_id} is not merged (any more).")),
                Ok(Unmerged::Gone) => Some(format!(":warning: Question #{question_id} is gone.")),
                Err(err) => {
                    tracing::error!(%err, "could not un-merge a question");
                    Some(":warning: I couldn't un-merge it just now (database error). Please try again.".into())
                }
            }
        }
        ViewAction::TriagePrevious | ViewAction::TriageNext => {
            meta.page = number.unwrap_or(0);
            None
        }
        ViewAction::TriageFilter => {
            let chosen = action
                .selected_option
                .as_ref()
                .and_then(|o| Filter::parse(&o.value));
            meta.filter = chosen.unwrap_or_default().as_str().to_string();
            meta.page = 0;
            None
        }
    };
    if let Some(page) = render(app, tenant, &meta, notice).await {
        let ws = tenant.workspace();
        modal::update(app, ws, &view_id, view.hash.as_deref(), page);
    }
}

/// The *Edit* view's submission.
#[tracing::instrument(skip_all, fields(user = %ev.user.id))]
pub async fn submit_edit(
    app: &Arc<AppState>,
    tenant: &Tenant,
    ev: &SlackInteractionViewSubmissionEvent,
) -> InteractionReply {
    let Some(meta) = private_metadata(&ev.view).and_then(|m| read_edit_meta(&m)) else {
        return InteractionReply::error(
            BLOCK_STATE,
            "This form lost track of its question; close it and open it again.",
        );
    };
    let submission = match read_edit(&state_values(&ev.view)) {
        Ok(s) => s,
        Err((block, message)) => return InteractionReply::error(block, message),
    };
    let edit = Edit {
        question_id: meta.question_id,
        state: submission.state,
        owner: submission.owner,
        family: submission.family,
        merge_into: submission.merge_into,
    };
    let saved = triage::save(app, tenant, meta.session_id, &ev.user.id.0, edit).await;
    let notice = match saved {
        Ok(Edited::Saved { merged_into: None }) => format!(":white_check_mark: Saved #{}.", meta.question_id),
        Ok(Edited::Saved {
            merged_into: Some(kept),
        }) => format!(
            ":twisted_rightwards_arrows: Merged #{} into #{kept}: its voters count there now, each once.",
            meta.question_id
        ),
        Ok(Edited::MergeRefused(why)) => return InteractionReply::error(BLOCK_MERGE_ID, why),
        Ok(Edited::Gone) => {
            return InteractionReply::error(
                BLOCK_STATE,
                "That question is gone (deleted in the thread); close this and pick another.",
            )
        }
        Err(err) => {
            tracing::error!(%err, "could not save a triage edit");
            return InteractionReply::error(
                BLOCK_STATE,
                "I couldn't save that just now (database error). Please submit again.",
            );
        }
    };
    // The Triage modal under this view shows the change when Slack goes back to it.
    let list = ListMeta {
        session_id: meta.session_id,
        filter: meta.filter.clone(),
        page: meta.page,
    };
    let parent = ev
        .view
        .state_params
        .previous_view_id
        .clone()
        .or_else(|| ev.view.state_params.root_view_id.clone());
    if let (Some(parent), Some(page)) = (parent, render(app, tenant, &list, Some(notice)).await) {
        modal::update(app, tenant.workspace(), &parent.0, None, page);
    }
    InteractionReply::Empty
}

//! Exporting a session's doc set: into its Slack thread (queued as an outbox
//! job, delivered by the worker) or from the command line. Both assemble the
//! renderers' context here, from the doc set, display names and the thread's
//! link.

use std::collections::HashMap;

use crate::app::AppState;
use crate::domain::docset::{DocSet, PressRelease};
use crate::domain::session::Session;
use crate::domain::{format_rfc3339, utc_date};
use crate::export::{self, ExportContext};
use crate::jobs::{ExportFormat, ExportJob, Job};
use crate::store::users::CachedName;
use crate::store::{Store, StoreResult};

/// Queues an export of `session` into its thread, for `user` who asked in
/// `channel`.
pub async fn queue(
    app: &AppState,
    session: &Session,
    format: ExportFormat,
    user: &str,
    channel: &str,
    response_url: Option<&str>,
) -> StoreResult<()> {
    let job = Job::Export(ExportJob {
        session_id: session.id,
        format,
        user_id: user.to_string(),
        channel_id: channel.to_string(),
        response_url: response_url.map(str::to_string),
        step: Default::default(),
        reading: None,
    });
    super::notify::enqueue(app, job).await
}

/// The doc set of session `id`, read from one snapshot.
pub async fn docset(store: &Store, id: i64) -> StoreResult<Option<DocSet>> {
    store.read(move |tx| tx.docset(id)).await
}

/// Makes `docset` show press-release `version` (what a review reads) rather
/// than the latest; the history stops at that version.
pub async fn pin_version(store: &Store, docset: &mut DocSet, version: i64) -> StoreResult<()> {
    let id = docset.session.id;
    let Some(d) = store.read(move |tx| tx.draft(id, version)).await? else {
        return Ok(());
    };
    let f = d.fields;
    // Files come with the doc set for its latest version only.
    let files = docset
        .press_release
        .as_ref()
        .filter(|p| p.version == version)
        .map(|p| p.files.clone())
        .unwrap_or_default();
    docset.press_release = Some(PressRelease {
        version: d.version,
        author: d.author,
        created_at: d.created_at,
        headline: f.headline,
        subheadline: f.subheadline,
        summary: f.summary,
        problem: f.problem,
        solution: f.solution,
        leader_quote: f.leader_quote,
        getting_started: f.getting_started,
        customer_quote: f.customer_quote,
        call_to_action: f.call_to_action,
        body: f.body,
        dateline_city: f.dateline_city,
        launch_date: f.launch_date,
        files,
    });
    docset
        .press_release_history
        .retain(|h| h.version <= version);
    Ok(())
}

/// The display names cached for everyone the doc set mentions.
pub async fn cached_names(
    store: &Store,
    docset: &DocSet,
) -> StoreResult<HashMap<String, CachedName>> {
    let team = docset.session.team_id.clone();
    let ids: Vec<String> = export::user_ids(docset).into_iter().collect();
    store.read(move |tx| tx.display_names(&team, &ids)).await
}

/// What the renderers need besides the doc set, as of `now`.
pub fn context(
    docset: &DocSet,
    names: HashMap<String, String>,
    permalink: Option<String>,
    now: jiff::Timestamp,
) -> ExportContext {
    ExportContext {
        names,
        permalink,
        exported_at: format_rfc3339(now),
        review: export::review_items(docset, utc_date(now)),
    }
}

/// The doc set and its context from what the database holds (names and the
/// link as cached by exports from Slack; no Web API call): `wb export`.
pub async fn load_cached(
    store: &Store,
    id: i64,
    now: jiff::Timestamp,
) -> StoreResult<Option<(DocSet, ExportContext)>> {
    let Some(docset) = docset(store, id).await? else {
        return Ok(None);
    };
    let names = cached_names(store, &docset)
        .await?
        .into_iter()
        .map(|(id, cached)| (id, cached.display_name))
        .collect();
    let permalink = store.read(move |tx| tx.session_permalink(id)).await?;
    let ctx = context(&docset, names, permalink, now);
    Ok(Some((docset, ctx)))
}

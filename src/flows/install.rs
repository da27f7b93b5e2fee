//! Installing wb in a workspace (SPEC §5.4), and forgetting one: the
//! install link's one-time `state`, the installation stored with its tokens
//! sealed (and the durable timer that refreshes a rotating token), an
//! uninstall or a revocation deleting the tokens at once, and purging a
//! workspace's data. The exchange of the code with Slack happens in the
//! Slack layer (`slack::oauth`); what it returns is recorded here.

use sha2::{Digest, Sha256};

use crate::app::tokens::{seal_context, Field};
use crate::app::AppState;
use crate::config::Secret;
use crate::domain::install::{
    judge_state, refresh_due_ms, scope_list, Installation, StateProblem, STATE_BYTES, STATE_TTL_MS,
};
use crate::domain::tenant::{InstallKey, Tenant};
use crate::domain::{format_rfc3339, truncate_chars};
use crate::jobs::Job;
use crate::store::installs::{NewInstall, StoredInstall};
use crate::store::outbox::Schedule;
use crate::store::{Store, StoreError, StoreResult, Tx};
use crate::vault::{self, VaultError};
use crate::webapi::Access;

/// Why an install could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("{0}")]
    Storage(#[from] StoreError),
    #[error("{0}")]
    Vault(#[from] VaultError),
    /// No WB_ENCRYPTION_KEY: nothing could be sealed.
    #[error("installs are not configured (SLACK_CLIENT_ID, WB_ENCRYPTION_KEY)")]
    NotConfigured,
    /// Slack's answer named no workspace (nor an org for an org-wide install).
    #[error("Slack's answer names no workspace")]
    NoWorkspace,
}

/// The state as stored: its SHA-256, so the table holds nothing a forged
/// redirect could use.
fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// A fresh state for an install link (256 random bits), remembered for ten
/// minutes and one use.
pub async fn begin(app: &AppState) -> Result<Secret, InstallError> {
    let state = vault::random_token::<STATE_BYTES>()?;
    let hash = state_hash(&state);
    app.store
        .write(move |tx| tx.insert_oauth_state(&hash, STATE_TTL_MS))
        .await?;
    Ok(Secret::new(state))
}

/// Equal strings, compared in constant time (a cookie against a state).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks a redirect's `state` against the browser's cookie and the stored
/// states; a good one is used up. Checked before anything is sent to Slack.
pub async fn check_state(
    app: &AppState,
    state: Option<&str>,
    cookie: Option<&str>,
) -> StoreResult<Result<(), StateProblem>> {
    let Some(state) = state.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Err(StateProblem::Missing));
    };
    if !cookie.is_some_and(|c| same(c, state)) {
        return Ok(Err(StateProblem::NotThisBrowser));
    }
    let hash = state_hash(state);
    let found = app.store.write(move |tx| tx.use_oauth_state(&hash)).await?;
    Ok(judge_state(found, app.clock.unix_ms()))
}

/// The dedupe key of an installation's pending refresh timer.
fn refresh_key(key: &InstallKey) -> String {
    format!("token:{}", key.stored())
}

/// Queues the refresh of `inst`'s rotating token, due before it expires.
fn schedule_refresh(tx: &mut Tx<'_>, inst: &StoredInstall) -> StoreResult<()> {
    let (Some(_), Some(expires)) = (&inst.refresh_token, inst.expires_at_ms) else {
        return Ok(());
    };
    let due = refresh_due_ms(inst.issued_at_ms.unwrap_or(expires), expires);
    let key = refresh_key(&inst.key);
    tx.enqueue_with(
        &Job::RefreshToken {
            install: inst.key.clone(),
            due_ms: due,
        },
        Schedule {
            delay_ms: due - tx.now_ms(),
            dedupe_key: Some(&key),
        },
    )?;
    Ok(())
}

/// What an install came to, for the success page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub key: InstallKey,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub enterprise_name: Option<String>,
    pub rotating: bool,
}

/// Stores the installation Slack granted, its tokens sealed, and (for a
/// rotating token) its refresh timer — one write. Installing again replaces
/// the installation.
pub async fn record(app: &AppState, access: &Access) -> Result<Installed, InstallError> {
    let vault = app.vault.as_ref().ok_or(InstallError::NotConfigured)?;
    let key = match (&access.enterprise_id, access.org_install, &access.team_id) {
        (Some(org), true, _) => InstallKey::Enterprise(org.clone()),
        (_, _, Some(team)) => InstallKey::Team(team.clone()),
        _ => return Err(InstallError::NoWorkspace),
    };
    let bot_token = vault.seal(
        access.access_token.expose(),
        &seal_context(&key, Field::Bot),
    )?;
    let refresh_token = match &access.refresh_token {
        Some(r) => Some(vault.seal(r.expose(), &seal_context(&key, Field::Refresh))?),
        None => None,
    };
    let rotating = refresh_token.is_some() && access.expires_in.is_some();
    let expires_at_ms = access
        .expires_in
        .filter(|_| rotating)
        .map(|s| app.clock.unix_ms() + s * 1000);
    let new = NewInstall {
        key: key.clone(),
        team_id: access.team_id.clone().filter(|_| !access.org_install),
        team_name: access.team_name.clone().filter(|_| !access.org_install),
        enterprise_id: access.enterprise_id.clone(),
        enterprise_name: access.enterprise_name.clone(),
        org_install: access.org_install,
        app_id: access.app_id.clone(),
        bot_user_id: access.bot_user_id.clone(),
        scopes: access.scope.clone(),
        installed_by: access.installer.clone(),
        bot_token,
        refresh_token,
        expires_at_ms,
    };
    let stored_key = key.clone();
    app.store
        .write(move |tx| {
            tx.save_installation(&new)?;
            if let Some(stored) = tx.installation(&stored_key)? {
                schedule_refresh(tx, &stored)?;
            }
            Ok(())
        })
        .await?;
    app.wake_outbox();
    tracing::info!(install = %key.stored(), rotating, "wb installed");
    Ok(Installed {
        key,
        team_id: access.team_id.clone(),
        team_name: access.team_name.clone(),
        enterprise_name: access.enterprise_name.clone(),
        rotating,
    })
}

/// The refresh timer `job_id` of `install` ran (the token was refreshed, or
/// found fresh): finished, and the next one queued from the stored expiry.
pub async fn token_refreshed(app: &AppState, job_id: i64, install: InstallKey) -> StoreResult<()> {
    app.store
        .write(move |tx| {
            tx.finish_job(job_id)?;
            if let Some(stored) = tx.installation(&install)? {
                schedule_refresh(tx, &stored)?;
            }
            Ok(())
        })
        .await?;
    app.wake_outbox();
    Ok(())
}

/// Deletes `tenant`'s installation, its tokens and its refresh timer
/// (inside the event's write).
fn forget_tokens(tx: &mut Tx<'_>, tenant: &Tenant, why: &str) -> StoreResult<()> {
    let key = tenant.install_key();
    let deleted = tx.delete_installation(&key)?;
    tx.cancel_pending(&refresh_key(&key))?;
    if deleted {
        tracing::info!(install = %key.stored(), why, "tokens deleted");
    } else {
        tracing::warn!(install = %key.stored(), why, "no stored installation (a SLACK_BOT_TOKEN workspace keeps its token until the setting is removed)");
    }
    Ok(())
}

/// `app_uninstalled`: the installation's tokens go at once; its pending jobs
/// then fail when they run (no token). With `purge`, its data goes too (a
/// durable job, in batches).
pub fn uninstalled_in(tx: &mut Tx<'_>, tenant: &Tenant, purge: bool) -> StoreResult<()> {
    forget_tokens(tx, tenant, "app_uninstalled")?;
    if purge {
        tx.enqueue(&Job::Purge {
            scope: tenant.install_key(),
            deleted: 0,
        })?;
    }
    Ok(())
}

/// `tokens_revoked`: the bot's token goes at once (wb keeps no user tokens).
/// The data stays: `app_uninstalled` follows a full uninstall.
pub fn revoked_in(tx: &mut Tx<'_>, tenant: &Tenant, bot: bool, users: usize) -> StoreResult<()> {
    if users > 0 {
        tracing::info!(users, "user tokens revoked (wb keeps none)");
    }
    if bot {
        forget_tokens(tx, tenant, "tokens_revoked")?;
    }
    Ok(())
}

/// Sessions deleted per write when purging.
pub const PURGE_BATCH: i64 = 50;

/// Deletes up to `limit` of `scope`'s sessions (and the display names
/// cached for their teams); once none are left, also its jobs still
/// waiting. The number deleted (0: nothing left).
pub async fn purge_batch(store: &Store, scope: &InstallKey, limit: i64) -> StoreResult<usize> {
    let scope = scope.clone();
    store
        .write(move |tx| {
            let sessions = tx.sessions_of(&scope, limit)?;
            let mut teams: Vec<&String> = sessions.iter().map(|(_, team)| team).collect();
            teams.sort();
            teams.dedup();
            for team in teams {
                tx.forget_names(team)?;
            }
            for (id, _) in &sessions {
                tx.purge_session(*id)?;
            }
            if sessions.is_empty() {
                if let InstallKey::Team(team) = &scope {
                    tx.forget_names(team)?;
                }
                drop_jobs_of(tx, &scope)?;
            }
            Ok(sessions.len())
        })
        .await
}

/// Fails the waiting jobs of `scope` that would still post something (its
/// refresh timer and the purge itself stay).
fn drop_jobs_of(tx: &mut Tx<'_>, scope: &InstallKey) -> StoreResult<()> {
    for (id, text) in tx.idle_pending_jobs()? {
        let Ok(job) = serde_json::from_str::<Job>(&text) else {
            continue;
        };
        if matches!(job, Job::Purge { .. } | Job::RefreshToken { .. }) {
            continue;
        }
        let Some(ws) = job.workspace() else {
            continue;
        };
        let ours = match scope {
            InstallKey::Team(t) => ws.team_id == *t,
            InstallKey::Enterprise(e) => ws.enterprise_id.as_deref() == Some(e.as_str()),
        };
        if ours {
            tx.fail_job(id, "purged")?;
        }
    }
    Ok(())
}

/// How many sessions `scope` has.
pub async fn sessions_of(store: &Store, scope: &InstallKey) -> StoreResult<i64> {
    let scope = scope.clone();
    store.read(move |tx| tx.count_sessions_of(&scope)).await
}

/// Every installation, as `wb teams` lists them (never a token).
pub async fn installations(store: &Store) -> StoreResult<Vec<Installation>> {
    store
        .read(|tx| {
            let all = tx.installations()?;
            let mut listed = Vec::with_capacity(all.len());
            for i in all {
                let sessions = tx.count_sessions_of(&i.key)?;
                let id = match &i.key {
                    InstallKey::Team(t) | InstallKey::Enterprise(t) => t.clone(),
                };
                let expires = i
                    .expires_at_ms
                    .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                    .map(format_rfc3339);
                listed.push(Installation {
                    id,
                    key: i.key.clone(),
                    team_id: i.team_id,
                    team_name: i.team_name.map(|n| truncate_chars(&n, 80)),
                    enterprise_id: i.enterprise_id,
                    enterprise_name: i.enterprise_name.map(|n| truncate_chars(&n, 80)),
                    org_wide: i.org_install,
                    bot_user_id: i.bot_user_id,
                    scopes: scope_list(&i.scopes),
                    installed_by: i.installed_by,
                    installed_at: i.installed_at,
                    rotating: i.refresh_token.is_some(),
                    token_expires_at: expires,
                    sessions,
                });
            }
            Ok(listed)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_compared_whole_and_stored_hashed() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
        let hash = state_hash("s3cret-state");
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("s3cret"));
    }
}

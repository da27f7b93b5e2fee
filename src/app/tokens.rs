//! The tokens of installed workspaces: [`InstallTokens`] answers the Web API
//! client's [`Tokens`] questions from the `installations` table, opening the
//! sealed tokens with the [`Vault`]. A workspace's own install wins, then its
//! org's org-wide install, then `SLACK_BOT_TOKEN` for the workspace that
//! token belongs to (found with `auth.test`, once). Rotating tokens are
//! refreshed one at a time per process; a refresh made meanwhile by another
//! replica is noticed and used rather than made again.

use std::sync::Arc;

use async_trait::async_trait;

use crate::clock::Clock;
use crate::config::{InstallConfig, Secret};
use crate::domain::install::refresh_due_ms;
use crate::domain::tenant::{InstallKey, Workspace};
use crate::store::installs::StoredInstall;
use crate::store::Store;
use crate::vault::Vault;
use crate::webapi::{ApiError, Fresh, Grant, SlackApi, Tokens, NOT_INSTALLED};

/// Where a sealed token belongs: its installation and field (the vault's
/// associated data, so a sealed token moved to another row does not open).
pub fn seal_context(key: &InstallKey, field: Field) -> String {
    let field = match field {
        Field::Bot => "bot",
        Field::Refresh => "refresh",
    };
    format!("{}/{field}", key.stored())
}

/// The sealed fields of an installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Bot,
    Refresh,
}

/// A token this close to expiry is refreshed before it is used (a quarter
/// of its life, for short-lived ones).
const USE_MARGIN_MS: i64 = 60_000;

/// How close to `expires_at_ms` a token issued at `issued_at_ms` is too old
/// to use without refreshing it first.
fn use_margin_ms(issued_at_ms: i64, expires_at_ms: i64) -> i64 {
    ((expires_at_ms - issued_at_ms) / 4).clamp(0, USE_MARGIN_MS)
}
/// Lifetime assumed when Slack gives none with a refresh token (FACTS D5).
const DEFAULT_LIFETIME_SECS: i64 = 43_200;

/// Installed workspaces' tokens (and the static token for its own team).
pub struct InstallTokens {
    store: Store,
    vault: Arc<Vault>,
    install: InstallConfig,
    fixed: Option<Secret>,
    /// Whose `SLACK_BOT_TOKEN` is (`auth.test`), asked once.
    fixed_owner: tokio::sync::OnceCell<Workspace>,
    clock: Clock,
    refreshing: tokio::sync::Mutex<()>,
}

impl InstallTokens {
    pub fn new(
        store: Store,
        vault: Arc<Vault>,
        install: InstallConfig,
        fixed: Option<Secret>,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            vault,
            install,
            fixed,
            fixed_owner: tokio::sync::OnceCell::new(),
            clock,
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    async fn find(&self, ws: &Workspace) -> Result<Option<StoredInstall>, ApiError> {
        let keys = ws.install_keys();
        self.store
            .read(move |tx| {
                for key in &keys {
                    if let Some(found) = tx.installation(key)? {
                        return Ok(Some(found));
                    }
                }
                Ok(None)
            })
            .await
            .map_err(|err| {
                tracing::warn!(%err, "could not read an installation");
                ApiError::Transient("storage_unavailable".into())
            })
    }

    fn open(&self, sealed: &str, key: &InstallKey, field: Field) -> Result<Secret, ApiError> {
        self.vault
            .open(sealed, &seal_context(key, field))
            .map(Secret::new)
            .map_err(|err| {
                tracing::error!(install = %key.stored(), %err, "cannot open a stored token (is WB_ENCRYPTION_KEY the key it was sealed with?)");
                ApiError::Permanent("token_unreadable".into())
            })
    }

    fn seal(&self, token: &Secret, key: &InstallKey, field: Field) -> Result<String, ApiError> {
        self.vault
            .seal(token.expose(), &seal_context(key, field))
            .map_err(|err| {
                tracing::error!(%err, "cannot seal a token");
                ApiError::Transient("vault_unavailable".into())
            })
    }

    /// Whether `SLACK_BOT_TOKEN` serves `ws`: jobs of no known workspace
    /// (queued before installs) and the token's own team or org.
    async fn fixed_for(&self, api: &SlackApi, ws: &Workspace) -> Result<Secret, ApiError> {
        let not_installed = || ApiError::Permanent(NOT_INSTALLED.into());
        let fixed = self.fixed.as_ref().ok_or_else(not_installed)?;
        if ws.is_unknown() {
            return Ok(fixed.clone());
        }
        let owner = self
            .fixed_owner
            .get_or_try_init(|| async {
                let me = api.auth_test(fixed).await?;
                let text = |k: &str| me[k].as_str().filter(|s| !s.is_empty()).map(str::to_string);
                let owner = Workspace::new(text("team_id").unwrap_or_default(), text("enterprise_id"));
                tracing::info!(team = %owner.team_id, "SLACK_BOT_TOKEN serves its own workspace; installs serve the others");
                Ok::<_, ApiError>(owner)
            })
            .await?;
        let same_team = !owner.team_id.is_empty() && owner.team_id == ws.team_id;
        let same_org = owner.team_id.is_empty()
            && owner.enterprise_id.is_some()
            && owner.enterprise_id == ws.enterprise_id;
        if same_team || same_org {
            Ok(fixed.clone())
        } else {
            Err(not_installed())
        }
    }

    /// Re-seals every token not sealed under the current key (a key
    /// rotation: `WB_ENCRYPTION_KEY` new, the old one in
    /// `WB_ENCRYPTION_KEY_PREVIOUS`). The number re-sealed.
    pub async fn reseal_all(&self) -> anyhow::Result<usize> {
        let all = self.store.read(|tx| tx.installations()).await?;
        let mut done = 0;
        for inst in all {
            let stale_refresh = inst
                .refresh_token
                .as_deref()
                .is_some_and(|r| !self.vault.is_current(r));
            if self.vault.is_current(&inst.bot_token) && !stale_refresh {
                continue;
            }
            let key = inst.key.clone();
            let bot = self.open(&inst.bot_token, &key, Field::Bot)?;
            let bot = self.seal(&bot, &key, Field::Bot)?;
            let refresh = match &inst.refresh_token {
                Some(r) => {
                    let open = self.open(r, &key, Field::Refresh)?;
                    Some(self.seal(&open, &key, Field::Refresh)?)
                }
                None => None,
            };
            let old = inst.bot_token.clone();
            if self
                .store
                .write(move |tx| tx.reseal_tokens(&key, &old, &bot, refresh.as_deref()))
                .await?
            {
                done += 1;
            }
        }
        if done > 0 {
            tracing::info!(
                installations = done,
                key_id = self.vault.key_id(),
                "tokens re-encrypted under the current key"
            );
        }
        Ok(done)
    }
}

#[async_trait]
impl Tokens for InstallTokens {
    async fn token(&self, api: &SlackApi, ws: &Workspace) -> Result<Secret, ApiError> {
        let Some(inst) = self.find(ws).await? else {
            return self.fixed_for(api, ws).await;
        };
        let now = self.clock.unix_ms();
        let nearly_expired = inst.refresh_token.is_some()
            && inst
                .expires_at_ms
                .is_some_and(|at| at - now < use_margin_ms(inst.issued_at_ms.unwrap_or(at), at));
        if nearly_expired {
            match self.refresh(api, ws, None).await {
                Ok(Some(fresh)) => return Ok(fresh.token),
                Ok(None) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "could not refresh a token about to expire")
                }
            }
        }
        self.open(&inst.bot_token, &inst.key, Field::Bot)
    }

    async fn refresh(
        &self,
        api: &SlackApi,
        ws: &Workspace,
        stale: Option<&Secret>,
    ) -> Result<Option<Fresh>, ApiError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let Some(inst) = self.find(ws).await? else {
            return Ok(None);
        };
        let (Some(sealed_refresh), Some(expires_at_ms)) =
            (inst.refresh_token.clone(), inst.expires_at_ms)
        else {
            return Ok(None);
        };
        let key = inst.key.clone();
        let current = self.open(&inst.bot_token, &key, Field::Bot)?;
        let now = self.clock.unix_ms();
        let issued = inst
            .issued_at_ms
            .unwrap_or(expires_at_ms - DEFAULT_LIFETIME_SECS * 1000);
        let already = match stale {
            // Refreshed since the call that failed was made.
            Some(stale) => *stale != current,
            // Ahead of expiry: only when due (another replica may have done it).
            None => now < refresh_due_ms(issued, expires_at_ms),
        };
        if already {
            return Ok(Some(Fresh {
                token: current,
                expires_at_ms,
            }));
        }
        let refresh_token = self.open(&sealed_refresh, &key, Field::Refresh)?;
        let answer = api
            .oauth_access(
                &self.install.client_id,
                &self.install.client_secret,
                Grant::Refresh(&refresh_token),
            )
            .await;
        let access = match answer {
            Ok(access) => access,
            Err(err) if err.code() == Some("invalid_refresh_token") => {
                // Another replica used this refresh token first: take theirs.
                let again = self.find(ws).await?;
                return match again {
                    Some(i) if i.refresh_token.as_deref() != Some(sealed_refresh.as_str()) => {
                        Ok(Some(Fresh {
                            token: self.open(&i.bot_token, &i.key, Field::Bot)?,
                            expires_at_ms: i.expires_at_ms.unwrap_or(expires_at_ms),
                        }))
                    }
                    _ => Err(err),
                };
            }
            Err(err) => return Err(err),
        };
        let new_refresh = access.refresh_token.clone().unwrap_or(refresh_token);
        let lifetime = access.expires_in.unwrap_or(DEFAULT_LIFETIME_SECS);
        let expires = self.clock.unix_ms() + lifetime * 1000;
        let sealed_bot = self.seal(&access.access_token, &key, Field::Bot)?;
        let sealed_new_refresh = self.seal(&new_refresh, &key, Field::Refresh)?;
        let write_key = key.clone();
        let replaced = self
            .store
            .write(move |tx| {
                tx.replace_tokens(
                    &write_key,
                    &sealed_refresh,
                    &sealed_bot,
                    &sealed_new_refresh,
                    expires,
                )
            })
            .await
            .map_err(|err| {
                tracing::error!(%err, "could not store a refreshed token");
                ApiError::Transient("storage_unavailable".into())
            })?;
        if !replaced {
            tracing::warn!(install = %key.stored(), "the installation changed while its token was refreshed");
        }
        tracing::info!(install = %key.stored(), expires_in_s = lifetime, "token refreshed");
        Ok(Some(Fresh {
            token: access.access_token,
            expires_at_ms: expires,
        }))
    }
}

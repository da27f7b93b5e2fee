//! Installations (one per workspace, or per org for an org-wide install)
//! with their sealed tokens, and the OAuth `state` values of install links.
//! Tokens come in and go out sealed: this file never sees one in clear.

use super::db::{args, Row, Tx};
use super::error::StoreResult;
use crate::domain::install::StoredState;
use crate::domain::tenant::InstallKey;

/// An installation to store (tokens sealed by the caller).
#[derive(Clone, PartialEq, Eq)]
pub struct NewInstall {
    pub key: InstallKey,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub org_install: bool,
    pub app_id: Option<String>,
    pub bot_user_id: Option<String>,
    pub scopes: String,
    pub installed_by: Option<String>,
    pub bot_token: String,
    pub refresh_token: Option<String>,
    pub expires_at_ms: Option<i64>,
}

/// A stored installation; its tokens are still sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredInstall {
    pub key: InstallKey,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub org_install: bool,
    pub app_id: Option<String>,
    pub bot_user_id: Option<String>,
    pub scopes: String,
    pub installed_by: Option<String>,
    pub bot_token: String,
    pub refresh_token: Option<String>,
    pub issued_at_ms: Option<i64>,
    pub expires_at_ms: Option<i64>,
    pub installed_at: String,
}

impl std::fmt::Debug for StoredInstall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredInstall")
            .field("key", &self.key)
            .field("expires_at_ms", &self.expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for NewInstall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewInstall")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "install_key, team_id, team_name, enterprise_id, enterprise_name,
        is_enterprise_install, app_id, bot_user_id, bot_scopes, installed_by, bot_token,
        bot_refresh_token, bot_token_issued_at_ms, bot_token_expires_at_ms, installed_at";

fn install_from(r: &Row<'_, '_>) -> StoreResult<StoredInstall> {
    let stored = r.text("install_key")?;
    let key = InstallKey::parse(&stored).ok_or_else(|| {
        super::StoreError::internal(format!("installation with a bad key: {stored}"))
    })?;
    Ok(StoredInstall {
        key,
        team_id: r.opt_text("team_id")?,
        team_name: r.opt_text("team_name")?,
        enterprise_id: r.opt_text("enterprise_id")?,
        enterprise_name: r.opt_text("enterprise_name")?,
        org_install: r.flag("is_enterprise_install")?,
        app_id: r.opt_text("app_id")?,
        bot_user_id: r.opt_text("bot_user_id")?,
        scopes: r.text("bot_scopes")?,
        installed_by: r.opt_text("installed_by")?,
        bot_token: r.text("bot_token")?,
        refresh_token: r.opt_text("bot_refresh_token")?,
        issued_at_ms: r.opt_int("bot_token_issued_at_ms")?,
        expires_at_ms: r.opt_int("bot_token_expires_at_ms")?,
        installed_at: r.text("installed_at")?,
    })
}

impl Tx<'_> {
    /// Stores an installation; installing again replaces it (new tokens,
    /// scopes, installer and time).
    pub fn save_installation(&mut self, new: &NewInstall) -> StoreResult<()> {
        let now = self.now_text();
        let issued = new.expires_at_ms.map(|_| self.now_ms());
        self.exec(
            "INSERT INTO installations (install_key, team_id, team_name, enterprise_id, enterprise_name,
                    is_enterprise_install, app_id, bot_user_id, bot_scopes, installed_by, bot_token,
                    bot_refresh_token, bot_token_issued_at_ms, bot_token_expires_at_ms, installed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             ON CONFLICT (install_key) DO UPDATE SET
                    team_id = excluded.team_id, team_name = excluded.team_name,
                    enterprise_id = excluded.enterprise_id, enterprise_name = excluded.enterprise_name,
                    is_enterprise_install = excluded.is_enterprise_install, app_id = excluded.app_id,
                    bot_user_id = excluded.bot_user_id, bot_scopes = excluded.bot_scopes,
                    installed_by = excluded.installed_by, bot_token = excluded.bot_token,
                    bot_refresh_token = excluded.bot_refresh_token,
                    bot_token_issued_at_ms = excluded.bot_token_issued_at_ms,
                    bot_token_expires_at_ms = excluded.bot_token_expires_at_ms,
                    installed_at = excluded.installed_at, updated_at = excluded.updated_at",
            args![
                new.key.stored().as_str(),
                &new.team_id,
                &new.team_name,
                &new.enterprise_id,
                &new.enterprise_name,
                new.org_install,
                &new.app_id,
                &new.bot_user_id,
                new.scopes.as_str(),
                &new.installed_by,
                new.bot_token.as_str(),
                &new.refresh_token,
                issued,
                new.expires_at_ms,
                &now
            ],
        )?;
        Ok(())
    }

    /// The installation stored under `key`.
    pub fn installation(&mut self, key: &InstallKey) -> StoreResult<Option<StoredInstall>> {
        self.row(
            &format!("SELECT {COLUMNS} FROM installations WHERE install_key = $1"),
            args![key.stored().as_str()],
            install_from,
        )
    }

    /// Every installation, workspaces then orgs, by id.
    pub fn installations(&mut self) -> StoreResult<Vec<StoredInstall>> {
        self.rows(
            &format!("SELECT {COLUMNS} FROM installations ORDER BY install_key DESC"),
            &[],
            install_from,
        )
    }

    /// Replaces an installation's tokens after a refresh, only if its refresh
    /// token is still `old_refresh` (another replica may have refreshed
    /// first). True when it was replaced.
    pub fn replace_tokens(
        &mut self,
        key: &InstallKey,
        old_refresh: &str,
        bot_token: &str,
        refresh_token: &str,
        expires_at_ms: i64,
    ) -> StoreResult<bool> {
        let now = self.now_text();
        let issued = self.now_ms();
        Ok(self.exec(
            "UPDATE installations SET bot_token = $1, bot_refresh_token = $2,
                    bot_token_issued_at_ms = $3, bot_token_expires_at_ms = $4, updated_at = $5
              WHERE install_key = $6 AND bot_refresh_token = $7",
            args![
                bot_token,
                refresh_token,
                issued,
                expires_at_ms,
                &now,
                key.stored().as_str(),
                old_refresh
            ],
        )? > 0)
    }

    /// Re-seals an installation's tokens (a key rotation), only if they are
    /// still the ones read.
    pub fn reseal_tokens(
        &mut self,
        key: &InstallKey,
        old_token: &str,
        bot_token: &str,
        refresh_token: Option<&str>,
    ) -> StoreResult<bool> {
        Ok(self.exec(
            "UPDATE installations SET bot_token = $1, bot_refresh_token = $2
              WHERE install_key = $3 AND bot_token = $4",
            args![bot_token, refresh_token, key.stored().as_str(), old_token],
        )? > 0)
    }

    /// Deletes an installation and its tokens; true when there was one.
    pub fn delete_installation(&mut self, key: &InstallKey) -> StoreResult<bool> {
        Ok(self.exec(
            "DELETE FROM installations WHERE install_key = $1",
            args![key.stored().as_str()],
        )? > 0)
    }

    /// Remembers a new install link's state (its hash) until `ttl_ms` from
    /// now, and forgets states expired for an hour (a flood of page views
    /// cannot grow the table for long).
    pub fn insert_oauth_state(&mut self, state_hash: &str, ttl_ms: i64) -> StoreResult<()> {
        let now = self.now_ms();
        self.exec(
            "DELETE FROM oauth_states WHERE expires_at_ms < $1",
            args![now - 3600 * 1000],
        )?;
        self.exec(
            "INSERT INTO oauth_states (state_hash, created_at_ms, expires_at_ms) VALUES ($1, $2, $3)",
            args![state_hash, now, now + ttl_ms],
        )?;
        Ok(())
    }

    /// Uses a state: what it was before (fresh, used, unknown); a fresh one
    /// is marked used, so it serves once.
    pub fn use_oauth_state(&mut self, state_hash: &str) -> StoreResult<StoredState> {
        let found = self.row(
            "SELECT expires_at_ms, used_at_ms FROM oauth_states WHERE state_hash = $1",
            args![state_hash],
            |r| Ok((r.int("expires_at_ms")?, r.opt_int("used_at_ms")?)),
        )?;
        Ok(match found {
            None => StoredState::Unknown,
            Some((_, Some(_))) => StoredState::Used,
            Some((expires_ms, None)) => {
                let now = self.now_ms();
                let claimed = self.exec(
                    "UPDATE oauth_states SET used_at_ms = $1 WHERE state_hash = $2 AND used_at_ms IS NULL",
                    args![now, state_hash],
                )?;
                if claimed == 0 {
                    StoredState::Used
                } else {
                    StoredState::Fresh { expires_ms }
                }
            }
        })
    }
}

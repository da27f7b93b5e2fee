//! Where a call's token comes from: [`Tokens`] answers with the bot token of
//! the workspace a call is for, and refreshes a rotating one. The client
//! asks it before every call, so each workspace's work goes out with its own
//! token. Single-token mode is [`Fixed`]: `SLACK_BOT_TOKEN` for everything,
//! as wb always did; installs are served by the implementation in
//! `crate::app` (installations in the store, sealed by `crate::vault`).

use async_trait::async_trait;

use super::{ApiError, SlackApi};
use crate::config::Secret;
use crate::domain::tenant::Workspace;

/// The Slack error code for work of a workspace wb has no token for (it
/// uninstalled wb, or never installed it): permanent, and nobody to tell.
pub const NOT_INSTALLED: &str = "not_installed";

/// A token just refreshed, and when it expires (unix ms).
#[derive(Debug, Clone)]
pub struct Fresh {
    pub token: Secret,
    pub expires_at_ms: i64,
}

/// The tokens of the workspaces wb serves.
#[async_trait]
pub trait Tokens: Send + Sync {
    /// The bot token for work of `ws`; [`NOT_INSTALLED`] when there is none.
    async fn token(&self, api: &SlackApi, ws: &Workspace) -> Result<Secret, ApiError>;

    /// Refreshes `ws`'s rotating token: after Slack refused `stale` as
    /// expired, or (`None`) ahead of its expiry. A token refreshed meanwhile
    /// (by another call, or another replica) is returned as is. `None` when
    /// `ws`'s token does not rotate.
    async fn refresh(
        &self,
        api: &SlackApi,
        ws: &Workspace,
        stale: Option<&Secret>,
    ) -> Result<Option<Fresh>, ApiError>;
}

/// Single-token mode: one token for every call, never refreshed.
pub struct Fixed(pub Secret);

#[async_trait]
impl Tokens for Fixed {
    async fn token(&self, _: &SlackApi, _: &Workspace) -> Result<Secret, ApiError> {
        Ok(self.0.clone())
    }

    async fn refresh(
        &self,
        _: &SlackApi,
        _: &Workspace,
        _: Option<&Secret>,
    ) -> Result<Option<Fresh>, ApiError> {
        Ok(None)
    }
}

/// No token at all (a process that makes no Web API call).
pub struct NoTokens;

#[async_trait]
impl Tokens for NoTokens {
    async fn token(&self, _: &SlackApi, _: &Workspace) -> Result<Secret, ApiError> {
        Err(ApiError::Permanent(NOT_INSTALLED.into()))
    }

    async fn refresh(
        &self,
        _: &SlackApi,
        _: &Workspace,
        _: Option<&Secret>,
    ) -> Result<Option<Fresh>, ApiError> {
        Ok(None)
    }
}

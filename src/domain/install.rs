//! Installing wb into a workspace (OAuth v2, SPEC §5.4), as rules without
//! I/O: how long an OAuth `state` is good for and what is wrong with one,
//! when a rotating token is refreshed, and what an installation records
//! (never its tokens: those are sealed by `crate::vault` and stay in the
//! store).

use serde::Serialize;

use super::tenant::InstallKey;

/// How long an install link's `state` may be used: ten minutes (the time
/// Bolt gives it, `../shared/slack/FACTS.md` D8).
pub const STATE_TTL_MS: i64 = 10 * 60 * 1000;

/// Bytes of randomness in a `state` (256 bits; the contract asks for ≥128).
pub const STATE_BYTES: usize = 32;

/// Why an OAuth redirect's `state` is refused (each a 400, and no
/// `oauth.v2.access` call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateProblem {
    /// No `state` in the redirect (an install from the app settings page).
    Missing,
    /// The browser's cookie does not carry the same state (another browser,
    /// or a forged link).
    NotThisBrowser,
    /// Never handed out by wb.
    Unknown,
    /// Older than [`STATE_TTL_MS`].
    Expired,
    /// Already used once.
    Used,
}

impl StateProblem {
    /// For the error page: what went wrong, in words for the installer.
    pub fn words(self) -> &'static str {
        match self {
            StateProblem::Missing => {
                "The link from Slack carries no state, so wb cannot tell that this install started on its install page."
            }
            StateProblem::NotThisBrowser => {
                "This install was started in another browser (or the link was not made by wb)."
            }
            StateProblem::Unknown => "This install link was not made by wb.",
            StateProblem::Expired => "This install link is more than 10 minutes old.",
            StateProblem::Used => "This install link was already used.",
        }
    }

    /// A short reason for logs and metrics (never the state itself).
    pub fn code(self) -> &'static str {
        match self {
            StateProblem::Missing => "missing_state",
            StateProblem::NotThisBrowser => "state_cookie_mismatch",
            StateProblem::Unknown => "unknown_state",
            StateProblem::Expired => "expired_state",
            StateProblem::Used => "used_state",
        }
    }
}

/// A stored state as found when a redirect comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredState {
    /// Not used; good until `expires_ms`.
    Fresh {
        expires_ms: i64,
    },
    Used,
    Unknown,
}

/// Whether a stored state may be used at `now_ms`.
pub fn judge_state(found: StoredState, now_ms: i64) -> Result<(), StateProblem> {
    match found {
        StoredState::Unknown => Err(StateProblem::Unknown),
        StoredState::Used => Err(StateProblem::Used),
        StoredState::Fresh { expires_ms } if now_ms > expires_ms => Err(StateProblem::Expired),
        StoredState::Fresh { .. } => Ok(()),
    }
}

/// Longest margin before expiry at which a rotating token is refreshed:
/// two hours of Slack's twelve (what Bolt does, FACTS D5).
pub const MAX_REFRESH_MARGIN_MS: i64 = 2 * 3600 * 1000;

/// How long before it expires a token that lives `lifetime_ms` is refreshed:
/// two hours, or half its life when it lives less than four.
pub fn refresh_margin_ms(lifetime_ms: i64) -> i64 {
    (lifetime_ms / 2).clamp(0, MAX_REFRESH_MARGIN_MS)
}

/// When a token that expires at `expires_at_ms` and was issued at
/// `issued_at_ms` is refreshed (unix ms).
pub fn refresh_due_ms(issued_at_ms: i64, expires_at_ms: i64) -> i64 {
    expires_at_ms - refresh_margin_ms(expires_at_ms - issued_at_ms)
}

/// An installation as `wb teams` shows it: who and what, never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Installation {
    /// `T…` for a workspace install, `E…` for an org-wide one.
    pub id: String,
    #[serde(skip)]
    pub key: InstallKey,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub org_wide: bool,
    pub bot_user_id: Option<String>,
    /// The bot scopes granted, as Slack listed them.
    pub scopes: Vec<String>,
    /// Who installed it (the authorizing user).
    pub installed_by: Option<String>,
    pub installed_at: String,
    /// True when its token rotates (refreshed before it expires).
    pub rotating: bool,
    /// When the current token expires (RFC 3339), for a rotating one.
    pub token_expires_at: Option<String>,
    /// Sessions stored for it.
    pub sessions: i64,
}

/// The bot scopes Slack granted, from its comma-separated list.
pub fn scope_list(granted: &str) -> Vec<String> {
    granted
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_good_once_for_ten_minutes() {
        let created = 1_000_000;
        let fresh = StoredState::Fresh {
            expires_ms: created + STATE_TTL_MS,
        };
        let cases = [
            (fresh, created, Ok(())),
            (fresh, created + STATE_TTL_MS, Ok(())),
            (
                fresh,
                created + STATE_TTL_MS + 1,
                Err(StateProblem::Expired),
            ),
            (StoredState::Used, created, Err(StateProblem::Used)),
            (StoredState::Unknown, created, Err(StateProblem::Unknown)),
        ];
        for (found, now, want) in cases {
            assert_eq!(judge_state(found, now), want, "{found:?} at {now}");
        }
    }

    #[test]
    fn every_problem_has_words_and_a_code() {
        for p in [
            StateProblem::Missing,
            StateProblem::NotThisBrowser,
            StateProblem::Unknown,
            StateProblem::Expired,
            StateProblem::Used,
        ] {
            assert!(!p.words().is_empty());
            assert!(p.code().ends_with("state") || p.code().contains("mismatch"));
        }
    }

    #[test]
    fn tokens_are_refreshed_two_hours_early_or_at_half_life() {
        let hour = 3_600_000;
        // Slack's 12 h tokens: refreshed 2 h before expiry.
        assert_eq!(refresh_due_ms(0, 12 * hour), 10 * hour);
        // A token that lives 2 s: refreshed after 1 s.
        assert_eq!(refresh_due_ms(5_000, 7_000), 6_000);
        // Already expired (clock skew): due at once, never after expiry.
        assert_eq!(refresh_due_ms(10, 5), 5);
        assert_eq!(refresh_margin_ms(3 * hour), 90 * 60 * 1000);
    }

    #[test]
    fn granted_scopes_are_split_on_commas() {
        assert_eq!(
            scope_list("commands,chat:write, users:read,"),
            ["commands", "chat:write", "users:read"]
        );
        assert!(scope_list("").is_empty());
    }
}

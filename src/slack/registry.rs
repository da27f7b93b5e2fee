//! Every Slack id wb answers to, in one place: the dispatchers in
//! `commands/`, `events/` and `interactions/` match on these enums
//! (exhaustively), and the manifest test reads the same lists. Removing a
//! handler means removing its variant, which the manifest test then catches.

use crate::views::ids;

/// The slash command this app registers, and the scope it needs.
pub const COMMAND: &str = ids::COMMAND;
pub const COMMAND_SCOPE: &str = "commands";

/// Buttons (block_actions) wb handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    DraftPressRelease,
    Ask,
    Answer,
    Export,
    /// The review meeting: schedule, comment, end reading, decide.
    Review,
    Comment,
    EndReading,
    Decide,
    /// The FAQ triage view.
    Triage,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::DraftPressRelease,
        Action::Ask,
        Action::Answer,
        Action::Export,
        Action::Review,
        Action::Comment,
        Action::EndReading,
        Action::Decide,
        Action::Triage,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Action::DraftPressRelease => ids::ACTION_DRAFT_PR,
            Action::Ask => ids::ACTION_ASK,
            Action::Answer => ids::ACTION_ANSWER,
            Action::Export => ids::ACTION_EXPORT,
            Action::Review => ids::ACTION_REVIEW,
            Action::Comment => ids::ACTION_COMMENT,
            Action::EndReading => ids::ACTION_END_READING,
            Action::Decide => ids::ACTION_DECIDE,
            Action::Triage => ids::ACTION_TRIAGE,
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// Modals whose submissions (view_submission) wb handles, by callback id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    NewSession,
    Draft,
    Ask,
    Answer,
    Review,
    Comment,
    Decide,
    TriageEdit,
}

impl View {
    pub const ALL: [View; 8] = [
        View::NewSession,
        View::Draft,
        View::Ask,
        View::Answer,
        View::Review,
        View::Comment,
        View::Decide,
        View::TriageEdit,
    ];

    pub fn callback_id(self) -> &'static str {
        match self {
            View::NewSession => ids::VIEW_NEW_SESSION,
            View::Draft => ids::VIEW_DRAFT,
            View::Ask => ids::VIEW_ASK,
            View::Answer => ids::VIEW_ANSWER,
            View::Review => ids::VIEW_REVIEW,
            View::Comment => ids::VIEW_COMMENT,
            View::Decide => ids::VIEW_DECIDE,
            View::TriageEdit => ids::VIEW_TRIAGE_EDIT,
        }
    }

    pub fn from_callback_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.callback_id() == id)
    }
}

/// Controls inside wb's modals (block_actions from a view), by action id:
/// they find their session in the view's metadata, not on a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewAction {
    TriageEdit,
    TriageUnmerge,
    TriagePrevious,
    TriageNext,
    TriageFilter,
}

impl ViewAction {
    pub const ALL: [ViewAction; 5] = [
        ViewAction::TriageEdit,
        ViewAction::TriageUnmerge,
        ViewAction::TriagePrevious,
        ViewAction::TriageNext,
        ViewAction::TriageFilter,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ViewAction::TriageEdit => ids::ACTION_TRIAGE_EDIT,
            ViewAction::TriageUnmerge => ids::ACTION_TRIAGE_UNMERGE,
            ViewAction::TriagePrevious => ids::ACTION_TRIAGE_PREVIOUS,
            ViewAction::TriageNext => ids::ACTION_TRIAGE_NEXT,
            ViewAction::TriageFilter => ids::ACTION_TRIAGE_FILTER,
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// Message shortcuts (message_action) wb handles, by callback id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    AddToFaq,
}

impl Shortcut {
    pub const ALL: [Shortcut; 1] = [Shortcut::AddToFaq];

    pub fn callback_id(self) -> &'static str {
        match self {
            Shortcut::AddToFaq => ids::SHORTCUT_ADD_TO_FAQ,
        }
    }

    pub fn from_callback_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.callback_id() == id)
    }
}

/// Events API events wb handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Message,
    ReactionAdded,
    ReactionRemoved,
    AppHomeOpened,
    /// The app was uninstalled: its tokens go (FACTS D10).
    AppUninstalled,
    /// Tokens were revoked; `tokens.bot` lists the bot's user (FACTS D11).
    TokensRevoked,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Message,
        EventKind::ReactionAdded,
        EventKind::ReactionRemoved,
        EventKind::AppHomeOpened,
        EventKind::AppUninstalled,
        EventKind::TokensRevoked,
    ];

    /// The event's `type` as Slack sends it.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::ReactionAdded => "reaction_added",
            EventKind::ReactionRemoved => "reaction_removed",
            EventKind::AppHomeOpened => "app_home_opened",
            EventKind::AppUninstalled => "app_uninstalled",
            EventKind::TokensRevoked => "tokens_revoked",
        }
    }

    /// The kind of an event of `type`, when wb handles it.
    pub fn from_type(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == kind)
    }

    /// The manifest's `bot_events` that deliver it (messages come per
    /// conversation type: public and private channels).
    pub fn subscriptions(self) -> &'static [&'static str] {
        match self {
            EventKind::Message => &["message.channels", "message.groups"],
            EventKind::ReactionAdded => &["reaction_added"],
            EventKind::ReactionRemoved => &["reaction_removed"],
            EventKind::AppHomeOpened => &["app_home_opened"],
            EventKind::AppUninstalled => &["app_uninstalled"],
            EventKind::TokensRevoked => &["tokens_revoked"],
        }
    }

    /// The bot scopes those subscriptions need.
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            EventKind::Message => &["channels:history", "groups:history"],
            EventKind::ReactionAdded | EventKind::ReactionRemoved => &["reactions:read"],
            EventKind::AppHomeOpened | EventKind::AppUninstalled | EventKind::TokensRevoked => &[],
        }
    }
}

/// Every bot scope wb asks for: the Web API methods' (`webapi::scopes`),
/// the events' and the slash command's — the one list behind the install
/// link and `manifest.yml` (the manifest test holds them equal).
pub fn bot_scopes() -> Vec<&'static str> {
    let mut scopes = crate::webapi::scopes::method_scopes();
    scopes.extend(
        EventKind::ALL
            .iter()
            .flat_map(|k| k.scopes().iter().copied()),
    );
    scopes.push(COMMAND_SCOPE);
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_enums() {
        for a in Action::ALL {
            assert_eq!(Action::from_id(a.id()), Some(a));
        }
        for v in View::ALL {
            assert_eq!(View::from_callback_id(v.callback_id()), Some(v));
        }
        for a in ViewAction::ALL {
            assert_eq!(ViewAction::from_id(a.id()), Some(a));
            assert_eq!(Action::from_id(a.id()), None, "ids never collide");
        }
        for s in Shortcut::ALL {
            assert_eq!(Shortcut::from_callback_id(s.callback_id()), Some(s));
        }
        assert_eq!(Action::from_id("wb_nope"), None);
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_type(k.name()), Some(k));
        }
        assert_eq!(EventKind::from_type("app_mention"), None);
    }
}

//! Stable identifiers shared with `manifest.yml`: action ids on buttons, callback
//! ids of modals and shortcuts. Renaming one breaks messages already posted.

/// The slash command this app registers.
pub const COMMAND: &str = "/wb";

/// Buttons on a session's root message.
pub const ACTION_DRAFT_PR: &str = "wb_draft_pr";
pub const ACTION_ASK: &str = "wb_ask";
pub const ACTION_ANSWER: &str = "wb_answer";
pub const ACTION_EXPORT: &str = "wb_export";
/// The review meeting (root message, reading copy, comments post).
pub const ACTION_REVIEW: &str = "wb_review";
pub const ACTION_DECIDE: &str = "wb_decide";
pub const ACTION_COMMENT: &str = "wb_comment";
pub const ACTION_END_READING: &str = "wb_end_reading";
pub const ACTION_TRIAGE: &str = "wb_triage";

/// Message shortcut: turn a thread message into an FAQ question.
pub const SHORTCUT_ADD_TO_FAQ: &str = "wb_add_to_faq";

/// Block ids of the root message, so `chat.update` keeps the same shape.
pub const BLOCK_TITLE: &str = "wb_title";
pub const BLOCK_STATUS: &str = "wb_status";
pub const BLOCK_ACTIONS: &str = "wb_actions";
/// Status, review and decision on the root message.
pub const BLOCK_PROCESS: &str = "wb_process";

/// Modal callback ids (view_submission routing).
pub const VIEW_NEW_SESSION: &str = "wb_new_session";
pub const VIEW_DRAFT: &str = "wb_draft";
pub const VIEW_ASK: &str = "wb_ask_modal";
pub const VIEW_ANSWER: &str = "wb_answer_modal";
pub const VIEW_REVIEW: &str = "wb_review_modal";
pub const VIEW_COMMENT: &str = "wb_comment_modal";
pub const VIEW_DECIDE: &str = "wb_decide_modal";
pub const VIEW_TRIAGE: &str = "wb_triage_modal";
pub const VIEW_TRIAGE_EDIT: &str = "wb_triage_edit";

/// Controls inside the Triage modal (block_actions from a view).
pub const ACTION_TRIAGE_EDIT: &str = "wb_triage_edit";
pub const ACTION_TRIAGE_UNMERGE: &str = "wb_triage_unmerge";
pub const ACTION_TRIAGE_PREVIOUS: &str = "wb_triage_previous";
pub const ACTION_TRIAGE_NEXT: &str = "wb_triage_next";
pub const ACTION_TRIAGE_FILTER: &str = "wb_triage_filter";

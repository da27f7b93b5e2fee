//! Use cases: one module per thing a user does — start a session, capture a
//! thread message, vote, save a draft, ask, answer, triage the FAQ, remind the
//! thread, export, run a review, decide, open the Home tab.
//! They take plain inputs (ids, text, the acting user) and return what
//! happened; the Slack handlers translate payloads into these calls and the
//! results into replies and views. A use case that changes something runs one
//! store write holding the change and every outbox job it owes, then wakes the
//! worker; nothing here calls Slack.

pub mod answer;
pub mod ask;
pub mod capture;
pub mod decision;
pub mod draft;
pub mod events;
pub mod export;
pub mod home;
pub mod install;
pub mod notify;
pub mod remind;
pub mod review;
pub mod root;
pub mod session;
pub mod triage;
pub mod vote;

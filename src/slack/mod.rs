//! The Slack handler layer: handlers translate Slack payloads into use-case
//! calls (`crate::flows`) and their results into replies and views. They are
//! grouped by kind — commands, events, interactions — each id mapped to its
//! handler in [`registry`]; no handler imports another. Both transports (HTTP
//! and Socket Mode) call the same three entry points.

pub mod commands;
pub mod events;
pub mod interactions;
pub mod log_ids;
pub mod meeting;
pub mod modal;
pub mod registry;
pub mod reply;

pub use reply::{CommandReply, InteractionReply};

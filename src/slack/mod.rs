//! The Slack handler layer: handlers translate Slack payloads into use-case
//! calls (`crate::flows`) and their results into replies and views. They are
//! grouped by kind — commands, events, interactions — each id mapped to its
//! handler in [`registry`]; no handler imports another. Both transports (HTTP
//! and Socket Mode) hand payloads to [`inbound`], which resolves whose they
//! are ([`tenant`]) and calls the same three entry points.

pub mod command_fields;
pub mod commands;
pub mod events;
pub mod inbound;
pub mod interactions;
pub mod json;
pub mod lenient;
pub mod log_ids;
pub mod meeting;
pub mod modal;
pub mod oauth;
pub mod registry;
pub mod reply;
pub mod tenant;

pub use reply::{CommandReply, InteractionReply};

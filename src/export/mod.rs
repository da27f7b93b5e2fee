//! Renderers of a [`DocSet`](crate::domain::docset::DocSet): pure functions, no
//! database, no Slack.

pub mod json;

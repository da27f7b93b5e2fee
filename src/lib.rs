//! wb runs Amazon's Working Backwards process (press release, FAQ, customer
//! experience, user manual) inside Slack threads, stored in SQLite.
//!
//! # Layout
//! Transport → handlers → domain → store is a one-way street.
//! - [`config`]: the only reader of the environment; secrets are redacted.
//! - [`app`]: [`app::AppState`] (store, Web API client, config) shared by handlers.
//! - [`http`]: `wb serve` — routes, signature check, limits. [`socket`]: `wb socket`.
//! - [`slack`]: handlers by kind (`commands`, `events`, `interactions`), pure Block
//!   Kit builders (`views`), the Web API client (`api`) and the durable outbox
//!   (`jobs`, `outbox`) through which every outbound call goes.
//! - [`domain`]: sessions, drafts, questions, parsing — no Slack, no SQL.
//! - [`store`]: the only place with SQL; migrations live in `migrations/`.
//!   Reads go through sqlx's pool; writes are closures run by one writer
//!   thread (`store::writer`), group-committed.
//! - [`export`]: renderers of one [`domain::docset::DocSet`].
//! - [`cli`]: the `wb` subcommands.
//! - [`playground`]: `wb playground` — wb against an in-process Slack emulator
//!   and a page that behaves like a Slack channel (a transport, like `http`).

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod http;
pub mod playground;
pub mod slack;
pub mod socket;
pub mod store;
pub mod telemetry;

//! wb runs Amazon's Working Backwards process (press release, FAQ, customer
//! experience, user manual) inside Slack threads, stored in SQLite (one
//! process) or PostgreSQL (several replicas).
//!
//! # Layout
//! One-way layers, top to bottom; a module imports only from layers below it.
//! - Entry: [`cli`] (clap definitions), [`startup`] (build and run the bot:
//!   store, worker, transport, shutdown), [`offline`] (subcommands on the
//!   database alone: sessions, export, review, teams, purge, migrate).
//! - Transports: [`http`] (`wb serve`: routes, signature check, limits, the
//!   refusal log), [`socket`] (`wb socket`), both feeding the same edge,
//!   `slack::inbound` (whose payload it is: `slack::tenant`), and
//!   [`playground`] (`wb playground`: the real HTTP edge driven by an
//!   in-process Slack emulator and a page that behaves like a Slack channel).
//! - Slack handlers: [`slack`] — `commands`, `events`, `interactions`, each id
//!   mapped in `slack::registry`; they translate payloads into use-case calls
//!   and results into replies. No handler imports another. `slack::oauth` is
//!   the install page and its redirect (OAuth v2, one-time state).
//! - Worker: [`worker`] runs outbox jobs (Web API calls with retries) and
//!   records their follow-ups through the use cases.
//! - Use cases: [`flows`] — one module per thing a user does; each change is
//!   one store write holding the content and the jobs it owes.
//! - Below them: [`jobs`] (outbox jobs as data), [`store`] (the only SQL, one
//!   [`store::Tx`] API over two backends, `store::sqlite` and `store::pg`, one
//!   error type), [`export`] (renderers), [`views`]
//!   (pure Block Kit builders), [`webapi`] (the Web API client).
//! - Every Web API call names the workspace it is for and goes out with
//!   that workspace's token: `webapi::tokens` asks, `app::tokens` answers
//!   from the installations (sealed by [`vault`]) or `SLACK_BOT_TOKEN`.
//! - Bottom: [`domain`] (sessions, drafts, questions, parsing, the
//!   bar-raiser, whose a request is and install rules — no Slack, no SQL),
//!   [`app`] (shared state), [`config`],
//!   [`clock`] (the one source of "now"), [`telemetry`] (logs), [`metrics`]
//!   (Prometheus figures and readiness, filled by small hooks in the layers
//!   above), [`pacing`] (spacing Slack calls to Slack's rates; the worker
//!   asks it before each call) and [`vault`] (tokens sealed at rest).

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod export;
pub mod flows;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod offline;
pub mod pacing;
pub mod playground;
pub mod slack;
pub mod socket;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod vault;
pub mod views;
pub mod webapi;
pub mod worker;

//! Black-box tests: the real server on port 0, signed requests, a fake Slack.
//! One test binary, so the suite links once.

mod backpressure;
mod drafts;
mod exactly_once;
mod export;
mod fake_oauth;
mod fake_slack;
mod faq;
mod faults;
mod foundation;
mod handoff;
mod helpers;
mod install;
mod limited_slack;
mod manifest;
mod migrate_data;
mod ops;
mod pacing;
mod payloads;
mod pg_faults;
mod pg_restart;
mod playground;
mod playground_browser;
mod playground_edits;
mod playground_hooks;
mod playground_support;
mod playground_webapi;
mod process;
mod replicas;
mod review;
mod socket;
mod testdb;
mod triage;

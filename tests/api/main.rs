//! Black-box tests: the real server on port 0, signed requests, a fake Slack.
//! One test binary, so the suite links once.

mod drafts;
mod export;
mod faq;
mod faults;
mod foundation;
mod helpers;
mod manifest;
mod process;
mod socket;
mod triage;

//! TODO(issue 6 item 5, after the bar-raiser issue lands): fuzz the bar-raiser
//! rules over arbitrary press-release drafts. NOT registered in
//! fuzz/Cargo.toml yet: the bar-raiser is being written in another branch.
//! To enable: move this file to fuzz_targets/bar_raiser.rs, add a [[bin]]
//! named `bar_raiser`, and call the real entry point.
//!
//! Properties to assert for any draft (nine optional fields of arbitrary text):
//! - never panics; the number of findings is bounded (one per rule at most);
//! - every finding's text fits a Block Kit section (≤ 3000 chars) and echoes
//!   user text only escaped (no raw `<`);
//! - deterministic: the same draft gives the same findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|fields: [Option<String>; 9]| {
    // let draft = wb::domain::draft::DraftFields { headline: fields[0].clone(), … };
    // let findings = wb::domain::bar_raiser::review(&draft);   // TODO: real name
    let _ = fields;
});

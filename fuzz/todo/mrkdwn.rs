//! TODO(issue 6 item 5, after the export issue lands): fuzz the mrkdwn →
//! Markdown / HTML converters. NOT registered in fuzz/Cargo.toml yet: the
//! converters are being written in another branch and their API is unknown
//! here. To enable: move this file to fuzz_targets/mrkdwn.rs, add a [[bin]]
//! named `mrkdwn`, and replace the calls below with the real functions.
//!
//! Properties to assert for any input text:
//! - never panics, output is bounded (e.g. ≤ 8 × input length + constant);
//! - HTML output never contains a raw `<script`, `<iframe`, `javascript:` URL
//!   or an unescaped `<` that did not come from the converter's own tags;
//! - Markdown output never turns user text into a link or HTML block.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // let md = wb::export::mrkdwn::to_markdown(&text);   // TODO: real name
    // let html = wb::export::mrkdwn::to_html(&text);     // TODO: real name
    // assert!(!html.to_ascii_lowercase().contains("<script"));
    let _ = text;
});

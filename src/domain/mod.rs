//! The Working Backwards domain: sessions, drafts, questions and the parsing of
//! what people type. No Slack types, no SQL.

pub mod bar_raiser;
pub mod capture;
pub mod command;
pub mod docset;
pub mod draft;
pub mod family;
pub mod faq;
pub mod install;
pub mod portfolio;
pub mod remind;
pub mod review;
pub mod session;
pub mod state;
pub mod tenant;
pub mod triage;

/// Formats a timestamp the way the store and the export expect it.
pub fn format_rfc3339(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The UTC date at `ts` (the bar-raiser's "today" for launch dates).
pub fn utc_date(ts: jiff::Timestamp) -> jiff::civil::Date {
    ts.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Cuts `text` to at most `max` characters (not bytes), ending with `…` when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_characters_not_bytes() {
        let cases = [
            ("short", 10, "short"),
            ("exactly10!", 10, "exactly10!"),
            ("eleven char", 10, "eleven ch…"),
            ("🧊🧊🧊🧊", 3, "🧊🧊…"),
        ];
        for (input, max, want) in cases {
            let got = truncate_chars(input, max);
            assert_eq!(got, want);
            assert!(got.chars().count() <= max);
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc_seconds() {
        let ts: jiff::Timestamp = "2026-11-21T21:38:48.123Z".parse().expect("ts");
        assert_eq!(format_rfc3339(ts), "2026-11-21T21:38:48Z");
    }
}

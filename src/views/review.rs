//! The bar-raiser's review, sent privately to the author after a save:
//! findings grouped by rule, a screenful at most, then "and N more".

use serde_json::{json, Value};

use super::{context, limits, section};
use crate::domain::bar_raiser::{rule, Finding, Severity};
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;

/// Findings shown in Slack: about one screen. The rest are counted.
pub const SHOWN: usize = 10;
/// Room for one group's text, below Slack's 3,000 per section.
const GROUP_TEXT: usize = 2800;

fn counts(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low]
        .into_iter()
        .filter(|s| n(*s) > 0)
        .map(|s| format!("{} {}", n(s), s.as_str()))
        .collect();
    parts.join(", ")
}

fn line(f: &Finding) -> String {
    let mut out = String::from("• ");
    if let Some(s) = f.section {
        out.push_str(&format!("_{}_: ", s.label()));
    }
    if let Some(q) = &f.quote {
        out.push_str(&format!("“{}” → ", escape_mrkdwn(q)));
    }
    out.push_str(&escape_mrkdwn(&f.suggestion));
    out
}

/// The `text` and `blocks` of the review of draft `version` of session `session_id`.
pub fn review_message(session_id: i64, version: i64, findings: &[Finding]) -> Value {
    if findings.is_empty() {
        let text = format!(
            ":white_check_mark: *Bar-raiser:* no findings on draft v{version}. Ready for the review meeting."
        );
        return json!({"text": text, "blocks": [section(None, &text)]});
    }
    let total = findings.len();
    let plural = if total == 1 { "finding" } else { "findings" };
    let head = format!(
        ":mag: *Bar-raiser review of draft v{version}:* {total} {plural} ({}). Advice only: your draft is saved.",
        counts(findings)
    );
    let mut blocks = vec![section(None, &head)];
    let shown = &findings[..total.min(SHOWN)];
    let mut displayed = 0;
    let mut start = 0;
    while start < shown.len() {
        let id = shown[start].rule;
        let end = start + shown[start..].iter().take_while(|f| f.rule == id).count();
        let title = rule(id).map_or(id, |r| r.title);
        let mut text = format!("*{title}*");
        for f in &shown[start..end] {
            let l = truncate_chars(&line(f), 600);
            if text.chars().count() + l.chars().count() + 1 > GROUP_TEXT {
                break;
            }
            text.push('\n');
            text.push_str(&l);
            displayed += 1;
        }
        blocks.push(section(None, &text));
        start = end;
    }
    if total > displayed {
        blocks.push(context(&format!(
            "…and {} more. Fix these and save again, or run `wb review {session_id}` for the full report.",
            total - displayed
        )));
    }
    blocks.truncate(limits::BLOCKS_PER_MESSAGE);
    json!({
        "text": format!("Bar-raiser review of draft v{version}: {total} {plural}."),
        "blocks": blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::draft::Section;
    use crate::views::test_support::assert_within_limits;

    fn finding(rule: &'static str, quote: Option<&str>) -> Finding {
        Finding {
            rule,
            severity: crate::domain::bar_raiser::rule(rule).map_or(Severity::Low, |r| r.severity),
            section: Some(Section::Problem),
            quote: quote.map(str::to_string),
            suggestion: "Give the number.".into(),
        }
    }

    fn blocks(msg: &Value) -> Vec<Value> {
        msg["blocks"].as_array().cloned().unwrap_or_default()
    }

    fn all_text(msg: &Value) -> String {
        msg.to_string()
    }

    #[test]
    fn a_clean_draft_gets_a_short_no_findings_note() {
        let msg = review_message(1, 2, &[]);
        assert_eq!(blocks(&msg).len(), 1);
        assert!(all_text(&msg).contains("no findings on draft v2"));
    }

    #[test]
    fn findings_are_grouped_by_rule_with_quote_and_fix() {
        let found = [
            finding("missing_section", None),
            finding("weasel_word", Some("many")),
            finding("weasel_word", Some("<!channel> very")),
        ];
        let msg = review_message(1, 3, &found);
        let b = blocks(&msg);
        assert_eq!(b.len(), 3, "{b:#?}");
        let head = b[0]["text"]["text"].as_str().unwrap_or_default();
        assert!(head.contains("3 findings (1 high, 2 medium)"), "{head}");
        let weasel = b[2]["text"]["text"].as_str().unwrap_or_default();
        assert!(weasel.starts_with("*Weasel word*"), "{weasel}");
        assert!(weasel.contains("• _Problem_: “many” → Give the number."));
        assert!(weasel.contains("&lt;!channel&gt; very") && !weasel.contains("<!channel>"));
        assert!(!all_text(&msg).contains("more."));
    }

    #[test]
    fn beyond_a_screen_the_rest_is_counted_and_limits_hold() {
        let long = "🧊".repeat(5000);
        let found: Vec<Finding> = (0..500)
            .map(|i| {
                let rule = crate::domain::bar_raiser::RULES[i % 10].id;
                finding(rule, Some(&long))
            })
            .collect();
        let mut sorted = found.clone();
        sorted.sort_by_key(|f| {
            crate::domain::bar_raiser::RULES
                .iter()
                .position(|r| r.id == f.rule)
        });
        let msg = review_message(4, 9, &sorted);
        let b = blocks(&msg);
        assert!(b.len() <= 12, "{}", b.len());
        assert_within_limits(&b, limits::BLOCKS_PER_MESSAGE);
        let last = b[b.len() - 1]["elements"][0]["text"]
            .as_str()
            .unwrap_or_default();
        let listed = b[1]["text"]["text"]
            .as_str()
            .unwrap_or_default()
            .matches('•')
            .count();
        assert!((1..=10).contains(&listed));
        assert!(
            last.contains(&format!("and {} more", 500 - listed)),
            "{last}"
        );
        assert!(last.contains("wb review 4"), "{last}");
        let chars: usize = b.iter().map(|x| x.to_string().chars().count()).sum();
        assert!(chars < 12_000, "{chars} characters of blocks");
    }
}

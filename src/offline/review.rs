//! `wb review <ID> [--json]`: the bar-raiser's report on a session's latest
//! press-release draft, as of today (UTC), and on its internal FAQ's
//! coverage (rule `faq-coverage`).

use super::{open_store, write_output};
use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::DbArgs;

/// `wb review <ID> [--json]`: reviews the latest draft as of today (UTC).
pub async fn review(db: &DbArgs, id: i64, json: bool, clock: &Clock) -> Result<(), CliError> {
    use crate::domain::bar_raiser;
    let store = open_store(db, clock).await?;
    let found = store
        .read(move |tx| Ok((tx.session(id)?, tx.latest_draft(id)?, tx.coverage(id)?)))
        .await;
    store.close().await;
    let (session, draft, coverage) = match found {
        Ok((Some(session), Some(draft), coverage)) => (session, draft, coverage),
        Ok((None, _, _)) => {
            return Err(CliError::new(
                1,
                format!("no session {id}; `wb sessions` lists them"),
            ))
        }
        Ok((Some(_), None, _)) => {
            return Err(CliError::new(
                1,
                format!("session {id} has no press-release draft yet: nothing to review"),
            ))
        }
        Err(e) => return Err(CliError::new(1, format!("reading session {id}: {e}"))),
    };
    let today = clock.today_utc();
    let mut findings = bar_raiser::review(&draft.fields, today);
    findings.extend(bar_raiser::faq_coverage(&coverage));
    let text = if json {
        let report = serde_json::json!({
            "session_id": session.id,
            "version": draft.version,
            "author": draft.author,
            "created_at": draft.created_at,
            "today": today.to_string(),
            "findings": findings,
        });
        serde_json::to_string_pretty(&report).map_err(|e| CliError::new(1, e.to_string()))?
    } else {
        review_text(&session.title, &draft, &findings)
    };
    write_output(None, &text)
}

/// The plain-text report: findings grouped by rule, each with quote and fix.
fn review_text(
    title: &str,
    draft: &crate::domain::draft::Draft,
    findings: &[crate::domain::bar_raiser::Finding],
) -> String {
    let mut out = format!(
        "Bar-raiser review: {} (draft v{} by {}, {})\n",
        crate::domain::truncate_chars(&title.replace('\n', " "), 80),
        draft.version,
        draft.author,
        draft.created_at
    );
    if findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str(&format!(
        "{} finding(s). Advice only: the draft is saved either way.\n",
        findings.len()
    ));
    let mut current = "";
    for f in findings {
        if f.rule != current {
            current = f.rule;
            let title = crate::domain::bar_raiser::rule(f.rule).map_or(f.rule, |r| r.title);
            out.push_str(&format!(
                "\n{title} [{}] ({})\n",
                f.rule,
                f.severity.as_str()
            ));
        }
        let place = f
            .section
            .map(|s| format!("{}: ", s.label()))
            .unwrap_or_default();
        match &f.quote {
            Some(q) => out.push_str(&format!("  - {place}\"{q}\"\n    → {}\n", f.suggestion)),
            None => out.push_str(&format!("  - {place}{}\n", f.suggestion)),
        }
    }
    out
}

//! The thread note that announces a new version: "Draft vN by @user" and
//! which sections changed since vN-1.

use serde_json::{json, Value};

use crate::domain::draft::{ChangeKind, FieldChange};
use crate::domain::truncate_chars;
use crate::views::escape_mrkdwn;
use crate::views::{context, section};

fn change_list(changes: &[FieldChange], first: bool) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|c| {
            let label = c.section.label();
            match (first, c.kind) {
                (true, _) | (false, ChangeKind::Edited) => label.to_string(),
                (false, ChangeKind::Added) => format!("{label} (added)"),
                (false, ChangeKind::Removed) => format!("{label} (removed)"),
            }
        })
        .collect();
    names.join(", ")
}

/// The thread note for a new version: "Draft vN by @user" and what changed
/// since vN-1 (`changes` against no previous version lists the sections written).
pub fn thread_note(
    version: i64,
    author: &str,
    headline: Option<&str>,
    changes: &[FieldChange],
) -> Value {
    let who = format!("<@{}>", escape_mrkdwn(author));
    let title = format!("*Draft v{version}* by {who}");
    let what = if version <= 1 {
        format!("Sections: {}.", change_list(changes, true))
    } else if changes.is_empty() {
        format!("No changes since v{}.", version - 1)
    } else {
        format!(
            "Changed since v{}: {}.",
            version - 1,
            change_list(changes, false)
        )
    };
    let headline_line = headline
        .map(|h| format!("\n>{}", escape_mrkdwn(&truncate_chars(h, 300))))
        .unwrap_or_default();
    json!({
        "text": format!("Draft v{version} by {who}. {what}"),
        "blocks": [
            section(None, &format!("{title}{headline_line}")),
            context(&escape_mrkdwn(&what)),
        ],
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::draft::Section;
    use crate::views::limits;
    use crate::views::test_support::assert_within_limits;

    #[test]
    fn the_thread_note_names_the_version_the_author_and_what_changed() {
        let changes = [
            FieldChange {
                section: Section::Headline,
                kind: ChangeKind::Edited,
            },
            FieldChange {
                section: Section::Problem,
                kind: ChangeKind::Added,
            },
            FieldChange {
                section: Section::Solution,
                kind: ChangeKind::Removed,
            },
        ];
        let note = thread_note(3, "U1", Some("<!here> Fridge"), &changes);
        let text = note["text"].as_str().unwrap_or_default();
        assert!(text.starts_with("Draft v3 by <@U1>"), "{text}");
        assert!(
            text.contains("Changed since v2: Headline, Problem (added), Solution (removed)."),
            "{text}"
        );
        let blocks = note["blocks"].as_array().cloned().unwrap_or_default();
        let first = blocks[0]["text"]["text"].as_str().unwrap_or_default();
        assert!(first.contains("&lt;!here&gt;") && !first.contains("<!here>"));
        assert_within_limits(&blocks, limits::BLOCKS_PER_MESSAGE);

        let same = thread_note(4, "U1", None, &[]);
        assert!(same["text"]
            .as_str()
            .unwrap_or_default()
            .contains("No changes since v3."));
        let first = thread_note(1, "U1", Some("Fridge"), &changes[..2]);
        assert!(first["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Sections: Headline, Problem."));
    }
}

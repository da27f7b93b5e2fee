//! The review meeting in the Markdown appendix: the decision history and
//! the review comments by section (comments of a review still in silent
//! reading are not shown; the doc set leaves them out).

use super::{escape_text, Writer};
use crate::domain::docset::DocSet;
use crate::export::meeting;

impl Writer<'_> {
    pub(super) fn decision_history(&mut self, d: &DocSet) {
        self.heading(3, "Decision history");
        if d.decisions.is_empty() {
            self.para("*No decision yet. In Slack: **Decide** on the session's message, or `/wb decide`.*");
            return;
        }
        for (i, dec) in d.decisions.iter().enumerate() {
            let heading = escape_text(&meeting::decision_heading(i + 1, dec, self.ctx));
            self.heading(4, &heading);
            self.para("**Rationale**");
            self.blocks(&dec.rationale, "");
            if let Some(next) = &dec.next_steps {
                self.para("**Next steps**");
                self.blocks(next, "");
            }
        }
    }

    pub(super) fn review_comments(&mut self, d: &DocSet) {
        self.heading(3, "Review comments");
        if d.reviews.is_empty() {
            self.para(
                "*No review yet. In Slack: **Review** on the session's message, or `/wb review`.*",
            );
            return;
        }
        for r in &d.reviews {
            let (heading, facts) = meeting::review_heading(r, self.ctx);
            self.heading(4, &escape_text(&heading));
            self.para(&format!("*{}*", escape_text(&facts)));
            if let Some(note) = meeting::comments_note(r) {
                self.para(&format!("*{note}*"));
                continue;
            }
            for (section, comments) in meeting::by_section(r) {
                // Bold, not a heading: the document stops at h4 (h3 in a canvas).
                self.para(&format!("**{}**", section.label()));
                for c in comments {
                    let late = if c.late { " · late" } else { "" };
                    self.para(&format!(
                        "**{}** · {}{late}",
                        escape_text(&self.ctx.person(&c.author)),
                        escape_text(&crate::export::human_time(&c.created_at))
                    ));
                    self.blocks(&c.text, "> ");
                }
            }
        }
    }
}

//! The review meeting in the HTML appendix: the decision history and the
//! review comments by section (comments of a review still in silent reading
//! are not shown; the doc set leaves them out).

use super::{escape, Writer};
use crate::domain::docset::DocSet;
use crate::export::{human_time, meeting};

impl Writer<'_> {
    pub(super) fn decision_history(&mut self, d: &DocSet) {
        self.out.push_str("<h3>Decision history</h3>\n");
        if d.decisions.is_empty() {
            self.empty("No decision yet. In Slack: <strong>Decide</strong> on the session's message, or <code>/wb decide</code>.");
            return;
        }
        for (i, dec) in d.decisions.iter().enumerate() {
            self.out.push_str(&format!(
                "<div class=\"decision\">\n<h4>{}</h4>\n<p class=\"label\">Rationale</p>\n",
                escape(&meeting::decision_heading(i + 1, dec, self.ctx))
            ));
            self.blocks(&dec.rationale);
            if let Some(next) = &dec.next_steps {
                self.out.push_str("<p class=\"label\">Next steps</p>\n");
                self.blocks(next);
            }
            self.out.push_str("</div>\n");
        }
    }

    pub(super) fn review_comments(&mut self, d: &DocSet) {
        self.out.push_str("<h3>Review comments</h3>\n");
        if d.reviews.is_empty() {
            self.empty("No review yet. In Slack: <strong>Review</strong> on the session's message, or <code>/wb review</code>.");
            return;
        }
        for r in &d.reviews {
            let (heading, facts) = meeting::review_heading(r, self.ctx);
            self.out.push_str(&format!(
                "<div class=\"review-meeting\">\n<h4>{}</h4>\n<p class=\"meta\">{}</p>\n",
                escape(&heading),
                escape(&facts)
            ));
            if let Some(note) = meeting::comments_note(r) {
                self.empty(note);
            }
            for (section, comments) in meeting::by_section(r) {
                self.out
                    .push_str(&format!("<p class=\"label\">{}</p>\n", section.label()));
                for c in comments {
                    let late = if c.late { " · late" } else { "" };
                    self.out.push_str(&format!(
                        "<div class=\"message\">\n<p class=\"meta\"><strong>{}</strong> · {}{late}</p>\n<blockquote>\n",
                        escape(&self.ctx.person(&c.author)),
                        escape(&human_time(&c.created_at))
                    ));
                    self.blocks(&c.text);
                    self.out.push_str("</blockquote>\n</div>\n");
                }
            }
            self.out.push_str("</div>\n");
        }
    }
}

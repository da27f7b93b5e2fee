//! The doc set's sections in reading order, each document a `<section>`: the
//! header, the four documents, then the appendix. Our own markup is written
//! here; user text goes through `user_text`, facts through `escape`.

use super::{escape, Writer};
use crate::domain::docset::{AttachedFile, DocSet, Entry, FaqEntry};
use crate::export::{self, faq, mrkdwn, Section};

impl Writer<'_> {
    pub(super) fn header(&mut self, d: &DocSet, title: &str) {
        let s = &d.session;
        self.out.push_str(&format!(
            "<header>\n<p class=\"kicker\">Working Backwards doc set · session {}</p>\n<h1>{}</h1>\n<dl class=\"facts\">\n",
            s.id, title
        ));
        let thread = match &self.ctx.permalink {
            Some(link) if mrkdwn::is_safe_url(link) => {
                format!("<a href=\"{}\">Open the thread in Slack</a>", escape(link))
            }
            _ => "link not available (export from Slack to add it)".into(),
        };
        let mut facts: Vec<(&str, String)> = export::header_facts(d, self.ctx)
            .into_iter()
            .map(|(label, value)| (label, escape(&value)))
            .collect();
        facts.push(("Thread", thread));
        let missing = export::missing_documents(d);
        if !missing.is_empty() {
            facts.push((
                "Missing",
                format!(
                    "<span class=\"missing\">{} (see below)</span>",
                    escape(&missing.join(", "))
                ),
            ));
        }
        for (label, value) in facts {
            self.out
                .push_str(&format!("<dt>{label}</dt><dd>{value}</dd>\n"));
        }
        self.out.push_str("</dl>\n</header>\n");
    }

    fn open_document(&mut self, id: &str, title: &str) {
        self.out.push_str(&format!(
            "<section class=\"document\" id=\"{id}\">\n<h2>{title}</h2>\n"
        ));
    }

    fn close_document(&mut self) {
        self.out.push_str("</section>\n");
    }

    pub(super) fn empty(&mut self, text: &str) {
        self.out
            .push_str(&format!("<p class=\"empty\">{text}</p>\n"));
    }

    pub(super) fn press_release(&mut self, d: &DocSet) {
        self.open_document("press-release", "1. Press release");
        let Some(pr) = &d.press_release else {
            self.empty("No press release drafted yet. Click <strong>Draft press release</strong> on the session's message in Slack, or reply <code>PR: …</code> in its thread.");
            self.close_document();
            return;
        };
        self.out.push_str(&format!(
            "<p class=\"meta\">Version {} · {} · {}</p>\n",
            pr.version,
            escape(&self.ctx.person(&pr.author)),
            escape(&export::human_time(&pr.created_at))
        ));
        let sections = export::press_release_sections(pr);
        let text_of = |key: &str| sections.iter().find(|s| s.key == key).and_then(|s| s.text);
        match text_of("headline") {
            Some(h) => {
                let h = self.inline(&mrkdwn::parse_line(h));
                self.out
                    .push_str(&format!("<h3 class=\"headline\">{h}</h3>\n"));
            }
            None => self
                .out
                .push_str("<h3 class=\"headline missing\">(no headline yet)</h3>\n"),
        }
        if let Some(sub) = text_of("subheadline") {
            let sub = self.inline(&mrkdwn::parse_line(sub));
            self.out
                .push_str(&format!("<p class=\"subheadline\">{sub}</p>\n"));
        }
        if let Some(dateline) = export::dateline(pr) {
            self.out.push_str(&format!(
                "<p class=\"dateline\"><strong>{}</strong></p>\n",
                escape(&dateline)
            ));
        }
        for section in sections
            .iter()
            .filter(|s| !matches!(s.key, "headline" | "subheadline"))
        {
            self.section(section);
        }
        let missing = export::missing_sections(pr);
        if !missing.is_empty() {
            self.out.push_str(&format!(
                "<p class=\"missing\">Missing sections: {}.</p>\n",
                escape(&missing.join(", ").to_lowercase())
            ));
        }
        self.files(&pr.files);
        self.close_document();
    }

    fn section(&mut self, s: &Section<'_>) {
        let Some(text) = s.text else { return };
        self.out.push_str(&format!(
            "<div class=\"pr-section\" id=\"pr-{}\">\n<p class=\"label\">{}</p>\n",
            s.key.replace('_', "-"),
            s.label
        ));
        if s.quote {
            self.out.push_str("<blockquote>\n");
            self.blocks(text);
            self.out.push_str("</blockquote>\n");
        } else {
            self.blocks(text);
        }
        self.out.push_str("</div>\n");
    }

    pub(super) fn faq(&mut self, d: &DocSet) {
        self.open_document("faq", "2. FAQ");
        if d.faq.is_empty() {
            self.empty("No questions yet. Reply in the thread with a question ending in <code>?</code> (or <code>IQ: …</code> for an internal one), or click <strong>Ask a question</strong>.");
            self.close_document();
            return;
        }
        let layout = faq::layout(d);
        let mut number = 0;
        self.out
            .push_str("<h3 id=\"faq-external\">External FAQ (customers)</h3>\n");
        if layout.external.is_empty() {
            self.empty("No external questions yet.");
        }
        for q in &layout.external {
            number += 1;
            self.question(number, q, "h4", layout.duplicates_of(q.id));
        }
        self.out
            .push_str("<h3 id=\"faq-internal\">Internal FAQ (stakeholders)</h3>\n");
        for (family, questions) in &layout.internal {
            self.out.push_str(&format!(
                "<h4 class=\"family\" id=\"faq-{}\">{} <span class=\"meta\">— {}</span></h4>\n",
                family.as_str(),
                family.label(),
                escape(family.covers())
            ));
            if questions.is_empty() {
                self.empty(&format!("No {} questions yet.", family.label()));
            }
            for q in questions {
                number += 1;
                self.question(number, q, "h5", layout.duplicates_of(q.id));
            }
        }
        self.close_document();
    }

    fn question(&mut self, number: usize, q: &FaqEntry, tag: &str, duplicates: &[&FaqEntry]) {
        let text = self.inline(&mrkdwn::parse_line(&q.question));
        let asker = match &q.asked_by {
            Some(id) => format!("Asked by {}", self.ctx.person(id)),
            None => "Asked anonymously".to_string(),
        };
        self.out.push_str(&format!(
            "<article class=\"faq-item\" id=\"q{}\">\n<{tag}>Q{number}. {text}</{tag}>\n<p class=\"meta\">{} · {} · {}</p>\n",
            q.id,
            escape(&asker),
            export::plural(q.votes.max(0) as usize, "vote"),
            escape(&export::human_time(&q.asked_at))
        ));
        self.files(&q.files);
        if !duplicates.is_empty() {
            let also: Vec<String> = duplicates
                .iter()
                .map(|dup| {
                    format!(
                        "“{}” ({})",
                        self.inline(&mrkdwn::parse_line(&dup.question)),
                        escape(&faq::asker(dup, self.ctx))
                    )
                })
                .collect();
            self.out.push_str(&format!(
                "<p class=\"also\">Also asked as: {}</p>\n",
                also.join(" · ")
            ));
        }
        if let Some(standing) = faq::standing(q, self.ctx) {
            self.out.push_str(&format!(
                "<p class=\"unanswered state-{}\">{}</p>\n",
                q.state.as_str().replace('_', "-"),
                escape(&standing)
            ));
        }
        if let Some(answer) = &q.answer {
            let mut by = String::new();
            if let Some(id) = &q.answered_by {
                by.push_str(&format!(" — {}", escape(&self.ctx.person(id))));
            }
            if let Some(at) = &q.answered_at {
                by.push_str(&format!(" · {}", escape(&export::human_time(at))));
            }
            self.out
                .push_str(&format!("<p class=\"label\">Answer{by}</p>\n"));
            self.blocks(answer);
        }
        self.out.push_str("</article>\n");
    }

    pub(super) fn customer_experience(&mut self, d: &DocSet) {
        self.open_document("customer-experience", "3. Customer experience");
        if d.customer_experience.is_empty() {
            self.empty("No customer-experience stories yet. Reply <code>CX: …</code> (or <code>Story: …</code>) in the thread.");
        }
        for (i, story) in d.customer_experience.iter().enumerate() {
            self.out.push_str(&format!("<h3>Story {}</h3>\n", i + 1));
            self.byline(story.author.as_deref(), &story.created_at);
            self.blocks(&story.text);
            self.files(&story.files);
        }
        self.close_document();
    }

    pub(super) fn user_manual(&mut self, d: &DocSet) {
        self.open_document("user-manual", "4. User manual");
        if d.user_manual.is_empty() {
            self.empty("No user-manual sections yet. Reply <code>Concept: …</code>, <code>How-to: …</code> or <code>Reference: …</code> in the thread.");
            self.close_document();
            return;
        }
        for (kind, title, prefix) in export::MANUAL_GROUPS {
            self.out.push_str(&format!("<h3>{title}</h3>\n"));
            let entries: Vec<_> = d.user_manual.iter().filter(|m| m.kind == kind).collect();
            if entries.is_empty() {
                self.empty(&format!(
                    "None yet: reply <code>{} …</code> in the thread.",
                    escape(prefix)
                ));
            }
            for m in entries {
                self.out.push_str("<div class=\"manual-entry\">\n");
                self.blocks(&m.text);
                self.files(&m.files);
                self.byline(m.author.as_deref(), &m.created_at);
                self.out.push_str("</div>\n");
            }
        }
        self.close_document();
    }

    pub(super) fn appendix(&mut self, d: &DocSet) {
        self.open_document("appendix", "Appendix");
        self.out.push_str("<h3>Draft history</h3>\n");
        if d.press_release_history.is_empty() {
            self.empty("No drafts yet.");
        } else {
            self.out.push_str("<ul class=\"history\">\n");
            for v in &d.press_release_history {
                self.out.push_str(&format!(
                    "<li>Version {} · {} · {}</li>\n",
                    v.version,
                    escape(&self.ctx.person(&v.author)),
                    escape(&export::human_time(&v.created_at))
                ));
            }
            self.out.push_str("</ul>\n");
        }
        self.decision_history(d);
        self.review_comments(d);
        if !self.ctx.review.is_empty() {
            let version = d
                .press_release
                .as_ref()
                .map(|p| format!(" (version {})", p.version))
                .unwrap_or_default();
            self.out.push_str(&format!(
                "<h3>Bar-raiser report{version}</h3>\n<ul class=\"review\">\n"
            ));
            for item in &self.ctx.review {
                let quote = if item.quote.trim().is_empty() {
                    String::new()
                } else {
                    format!(" “{}”", escape(&item.quote))
                };
                self.out.push_str(&format!(
                    "<li><strong>{}</strong> ({}){} — {}</li>\n",
                    escape(&item.rule),
                    escape(&item.severity),
                    quote,
                    escape(&item.suggestion)
                ));
            }
            self.out.push_str("</ul>\n");
        }
        self.out.push_str("<h3>Thread discussion</h3>\n");
        if d.discussion.is_empty() {
            self.empty("No discussion yet.");
        }
        for m in &d.discussion {
            self.message(m);
        }
        self.close_document();
    }

    fn message(&mut self, m: &Entry) {
        let who = m
            .author
            .as_deref()
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "someone".into());
        self.out.push_str(&format!(
            "<div class=\"message\">\n<p class=\"meta\"><strong>{}</strong> · {}</p>\n",
            escape(&who),
            escape(&export::human_time(&m.created_at))
        ));
        // A file shared with no words has nothing to quote.
        if !m.text.trim().is_empty() {
            self.out.push_str("<blockquote>\n");
            self.blocks(&m.text);
            self.out.push_str("</blockquote>\n");
        }
        self.files(&m.files);
        self.out.push_str("</div>\n");
    }

    /// The files attached to a message, each named and linked to Slack (the
    /// bytes stay there).
    fn files(&mut self, files: &[AttachedFile]) {
        if files.is_empty() {
            return;
        }
        let links: Vec<String> = files
            .iter()
            .map(
                |f| match f.permalink.as_deref().filter(|u| mrkdwn::is_safe_url(u)) {
                    Some(url) => format!(
                        "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                        escape(url.trim()),
                        escape(&f.name)
                    ),
                    None => escape(&f.name),
                },
            )
            .collect();
        self.out.push_str(&format!(
            "<p class=\"files\">Attached: {}</p>\n",
            links.join(" · ")
        ));
    }

    fn byline(&mut self, author: Option<&str>, at: &str) {
        let who = author
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "anonymous".into());
        self.out.push_str(&format!(
            "<p class=\"meta\">{} · {}</p>\n",
            escape(&who),
            escape(&export::human_time(at))
        ));
    }
}

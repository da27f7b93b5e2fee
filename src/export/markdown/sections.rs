//! The doc set's sections in reading order: header, the four documents, then
//! the appendix. Our own words are written as Markdown here; user text goes
//! through `user_text`, facts through `escape_text`.

use super::escape::{escape_text, guard_line, heading_text, url};
use super::{Flavor, Writer};
use crate::domain::docset::{AttachedFile, DocSet, Entry, FaqEntry};
use crate::export::{self, faq, mrkdwn, Section};

impl Writer<'_> {
    pub(super) fn header(&mut self, d: &DocSet) {
        let title = heading_text(&self.inline(&mrkdwn::parse_line(&d.session.title)));
        self.heading(1, &title);
        self.para(&format!(
            "*Working Backwards doc set · session {}*",
            d.session.id
        ));
        let mut facts: Vec<(&str, String)> = export::header_facts(d, self.ctx)
            .into_iter()
            .map(|(label, value)| (label, escape_text(&value)))
            .collect();
        facts.push((
            "Thread",
            match &self.ctx.permalink {
                Some(link) if mrkdwn::is_safe_url(link) => {
                    format!("[Open the thread in Slack]({})", url(link))
                }
                _ => "link not available (export from Slack to add it)".into(),
            },
        ));
        let missing = export::missing_documents(d);
        if !missing.is_empty() {
            facts.push((
                "Missing",
                escape_text(&format!("{} (see below)", missing.join(", "))),
            ));
        }
        for (label, value) in facts {
            self.push(&format!("- **{label}:** {value}\n"));
        }
        self.push("\n");
    }

    pub(super) fn press_release(&mut self, d: &DocSet) {
        self.heading(2, "1\\. Press release");
        let Some(pr) = &d.press_release else {
            self.para("*No press release drafted yet. Click **Draft press release** on the session's message in Slack, or reply `PR: …` in its thread.*");
            return;
        };
        self.para(&format!(
            "*Version {} · {} · {}*",
            pr.version,
            escape_text(&self.ctx.person(&pr.author)),
            escape_text(&export::human_time(&pr.created_at))
        ));
        let sections = export::press_release_sections(pr);
        let text_of = |key: &str| sections.iter().find(|s| s.key == key).and_then(|s| s.text);
        match text_of("headline") {
            Some(h) => {
                let h = heading_text(&self.inline(&mrkdwn::parse_line(h)));
                self.heading(3, &h);
            }
            None => self.heading(3, "*(no headline yet)*"),
        }
        if let Some(sub) = text_of("subheadline") {
            let sub = self.inline(&mrkdwn::parse_line(sub));
            // Plain, not wrapped in emphasis: the text may carry its own.
            self.para(&guard_line(&sub));
        }
        if let Some(dateline) = export::dateline(pr) {
            self.para(&format!("**{}**", escape_text(&dateline)));
        }
        for section in sections
            .iter()
            .filter(|s| !matches!(s.key, "headline" | "subheadline"))
        {
            self.section(section);
        }
        let missing = export::missing_sections(pr);
        if !missing.is_empty() {
            self.para(&format!(
                "*Missing sections: {}.*",
                escape_text(&missing.join(", ").to_lowercase())
            ));
        }
        self.files(&pr.files);
    }

    fn section(&mut self, s: &Section<'_>) {
        let Some(text) = s.text else { return };
        self.para(&format!("**{}**", s.label));
        let prefix = if s.quote { "> " } else { "" };
        self.blocks(text, prefix);
    }

    pub(super) fn faq(&mut self, d: &DocSet) {
        self.heading(2, "2\\. FAQ");
        if d.faq.is_empty() {
            self.para("*No questions yet. Reply in the thread with a question ending in `?` (or `IQ: …` for an internal one), or click **Ask a question**.*");
            return;
        }
        let layout = faq::layout(d);
        let mut number = 0;
        self.heading(3, "External FAQ (customers)");
        if layout.external.is_empty() {
            self.para("*No external questions yet.*");
        }
        for q in &layout.external {
            number += 1;
            self.question(number, q, 4, layout.duplicates_of(q.id));
        }
        self.heading(3, "Internal FAQ (stakeholders)");
        for (family, questions) in &layout.internal {
            self.heading(
                4,
                &format!("{} — {}", family.label(), escape_text(family.covers())),
            );
            if questions.is_empty() {
                self.para(&format!("*No {} questions yet.*", family.label()));
            }
            for q in questions {
                number += 1;
                self.question(number, q, 5, layout.duplicates_of(q.id));
            }
        }
    }

    fn question(&mut self, number: usize, q: &FaqEntry, level: usize, duplicates: &[&FaqEntry]) {
        let text = self.inline(&mrkdwn::parse_line(&q.question));
        match self.flavor {
            Flavor::CommonMark => {
                self.heading(level, &format!("Q{number}\\. {}", heading_text(&text)))
            }
            Flavor::Canvas => self.para(&format!("**Q{number}\\. {}**", guard_line(&text))),
        }
        let asker = match &q.asked_by {
            Some(id) => format!("Asked by {}", self.ctx.person(id)),
            None => "Asked anonymously".to_string(),
        };
        self.para(&format!(
            "*{} · {} · {}*",
            escape_text(&asker),
            export::plural(q.votes.max(0) as usize, "vote"),
            escape_text(&export::human_time(&q.asked_at))
        ));
        self.files(&q.files);
        if !duplicates.is_empty() {
            let also: Vec<String> = duplicates
                .iter()
                .map(|dup| {
                    format!(
                        "“{}” ({})",
                        self.inline(&mrkdwn::parse_line(&dup.question)),
                        escape_text(&faq::asker(dup, self.ctx))
                    )
                })
                .collect();
            self.para(&format!("*Also asked as:* {}", also.join(" · ")));
        }
        if let Some(standing) = faq::standing(q, self.ctx) {
            let (state, rest) = standing.split_once(" — ").unwrap_or((&standing, ""));
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!(" — {}", escape_text(rest))
            };
            self.para(&format!("**{}**{rest}", escape_text(state)));
        }
        if let Some(answer) = &q.answer {
            let mut by = String::new();
            if let Some(id) = &q.answered_by {
                by.push_str(&format!(" — {}", escape_text(&self.ctx.person(id))));
            }
            if let Some(at) = &q.answered_at {
                by.push_str(&format!(" · {}", escape_text(&export::human_time(at))));
            }
            self.para(&format!("**Answer**{by}"));
            self.blocks(answer, "");
        }
    }

    pub(super) fn customer_experience(&mut self, d: &DocSet) {
        self.heading(2, "3\\. Customer experience");
        if d.customer_experience.is_empty() {
            self.para("*No customer-experience stories yet. Reply `CX: …` (or `Story: …`) in the thread.*");
            return;
        }
        for (i, story) in d.customer_experience.iter().enumerate() {
            self.heading(3, &format!("Story {}", i + 1));
            self.byline(story.author.as_deref(), &story.created_at);
            self.blocks(&story.text, "");
            self.files(&story.files);
        }
    }

    pub(super) fn user_manual(&mut self, d: &DocSet) {
        self.heading(2, "4\\. User manual");
        if d.user_manual.is_empty() {
            self.para("*No user-manual sections yet. Reply `Concept: …`, `How-to: …` or `Reference: …` in the thread.*");
            return;
        }
        for (kind, title, prefix) in export::MANUAL_GROUPS {
            self.heading(3, title);
            let entries: Vec<_> = d.user_manual.iter().filter(|m| m.kind == kind).collect();
            if entries.is_empty() {
                self.para(&format!("*None yet: reply `{prefix} …` in the thread.*"));
            }
            for m in entries {
                self.blocks(&m.text, "");
                self.files(&m.files);
                self.byline(m.author.as_deref(), &m.created_at);
            }
        }
    }

    pub(super) fn appendix(&mut self, d: &DocSet) {
        self.heading(2, "Appendix");
        self.heading(3, "Draft history");
        if d.press_release_history.is_empty() {
            self.para("*No drafts yet.*");
        } else {
            for v in &d.press_release_history {
                self.push(&format!(
                    "- Version {} · {} · {}\n",
                    v.version,
                    escape_text(&self.ctx.person(&v.author)),
                    escape_text(&export::human_time(&v.created_at))
                ));
            }
            self.push("\n");
        }
        self.decision_history(d);
        self.review_comments(d);
        if !self.ctx.review.is_empty() {
            let version = d
                .press_release
                .as_ref()
                .map(|p| format!(" (version {})", p.version))
                .unwrap_or_default();
            self.heading(3, &format!("Bar-raiser report{version}"));
            for item in &self.ctx.review {
                let quote = if item.quote.trim().is_empty() {
                    String::new()
                } else {
                    format!(" “{}”", escape_text(&one_line(&item.quote)))
                };
                self.out.push_str(&format!(
                    "- **{}** ({}){} — {}\n",
                    escape_text(&one_line(&item.rule)),
                    escape_text(&one_line(&item.severity)),
                    quote,
                    escape_text(&one_line(&item.suggestion))
                ));
            }
            self.push("\n");
        }
        self.heading(3, "Thread discussion");
        if d.discussion.is_empty() {
            self.para("*No discussion yet.*");
        }
        for m in &d.discussion {
            self.message(m);
        }
    }

    fn message(&mut self, m: &Entry) {
        let who = m
            .author
            .as_deref()
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "someone".into());
        self.para(&format!(
            "**{}** · {}",
            escape_text(&who),
            escape_text(&export::human_time(&m.created_at))
        ));
        self.blocks(&m.text, "> ");
        self.files(&m.files);
    }

    /// The files attached to a message, each named and linked to Slack (the
    /// bytes stay there).
    fn files(&mut self, files: &[AttachedFile]) {
        if files.is_empty() {
            return;
        }
        let links: Vec<String> = files
            .iter()
            .map(|f| {
                let name = escape_text(&f.name);
                match f.permalink.as_deref().filter(|u| mrkdwn::is_safe_url(u)) {
                    Some(link) => format!("[{name}]({})", url(link)),
                    None => name,
                }
            })
            .collect();
        self.out
            .push_str(&format!("Attached: {}\n\n", links.join(" · ")));
    }

    fn byline(&mut self, author: Option<&str>, at: &str) {
        let who = author
            .map(|a| self.ctx.person(a))
            .unwrap_or_else(|| "anonymous".into());
        self.para(&format!(
            "*{} · {}*",
            escape_text(&who),
            escape_text(&export::human_time(at))
        ));
    }
}

/// A review item is one list line: a newline in it would end the item.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

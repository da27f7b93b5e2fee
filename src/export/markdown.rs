//! CommonMark, and the Slack canvas dialect of it.
//!
//! User text can never change the document's structure: every character
//! CommonMark could read as syntax is backslash-escaped, lines are guarded
//! against starting a heading, list, quote or code block, and code is fenced
//! with more backticks than it contains. A canvas only knows headings h1–h3,
//! so FAQ questions are bold paragraphs there instead of h4 headings.

mod escape;
mod review;
mod sections;
#[cfg(test)]
mod tests;
mod user_text;

pub use escape::{escape_text, guard_line};

use super::ExportContext;
use crate::domain::docset::DocSet;

/// Which Markdown the output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// A `.md` file: CommonMark (plus `~~strike~~`, read by GFM, Notion, Confluence).
    CommonMark,
    /// `canvases.create` document_content: headings h1–h3 only.
    Canvas,
}

/// The doc set as a Markdown file.
pub fn render(docset: &DocSet, ctx: &ExportContext) -> String {
    Writer::new(ctx, Flavor::CommonMark).document(docset)
}

/// The doc set as canvas Markdown.
pub fn render_canvas(docset: &DocSet, ctx: &ExportContext) -> String {
    Writer::new(ctx, Flavor::Canvas).document(docset)
}

struct Writer<'a> {
    out: String,
    ctx: &'a ExportContext,
    flavor: Flavor,
}

impl<'a> Writer<'a> {
    fn new(ctx: &'a ExportContext, flavor: Flavor) -> Self {
        Self {
            out: String::with_capacity(64 * 1024),
            ctx,
            flavor,
        }
    }

    fn document(mut self, d: &DocSet) -> String {
        self.header(d);
        self.press_release(d);
        self.faq(d);
        self.customer_experience(d);
        self.user_manual(d);
        self.appendix(d);
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A paragraph of our own words (already Markdown).
    fn para(&mut self, markdown: &str) {
        self.out.push_str(markdown);
        self.out.push_str("\n\n");
    }

    fn heading(&mut self, level: usize, markdown: &str) {
        let level = match self.flavor {
            Flavor::Canvas => level.min(3),
            Flavor::CommonMark => level,
        };
        self.out.push_str(&"#".repeat(level));
        self.out.push(' ');
        self.out.push_str(markdown);
        self.out.push_str("\n\n");
    }
}

//! The formats a doc set is rendered in, and the one function that renders
//! it: shared by `wb export` and the export into Slack.

use super::ExportContext;
use crate::domain::docset::DocSet;

/// What a doc set becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
    /// Markdown in the subset a Slack canvas renders.
    Canvas,
}

impl Format {
    /// The file extension of a file in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown | Format::Canvas => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown | Format::Canvas => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// Renders `docset` in `format`.
pub fn render(docset: &DocSet, ctx: &ExportContext, format: Format) -> String {
    match format {
        Format::Markdown => super::markdown::render(docset, ctx),
        Format::Html => super::html::render(docset, ctx),
        Format::Json => super::json::render(docset),
        Format::Canvas => super::markdown::render_canvas(docset, ctx),
    }
}

//! `wb.docset/1` JSON.

use crate::domain::docset::DocSet;

/// Pretty-printed JSON with the schema's key order.
pub fn render(docset: &DocSet) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(docset).unwrap_or_else(|_| String::from("{}"))
}

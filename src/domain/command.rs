//! Parsing of the text after `/wb`: one enum, parsed in one place.

/// Where `/wb export` sends the doc set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTarget {
    Markdown,
    Html,
    Canvas,
}

/// A `/wb` subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WbCommand {
    /// `pressrelease <idea>` / `pr <idea>`; no idea opens a modal.
    PressRelease { idea: Option<String> },
    /// `faq <question>`; no question opens the Ask modal.
    Faq { question: Option<String> },
    /// `export [ID] [md|html|canvas]`.
    Export {
        session_id: Option<i64>,
        target: ExportTarget,
    },
    /// `list`.
    List,
    /// `help`, empty text.
    Help,
    /// Anything else: `word` is what was not understood.
    Unknown { word: String },
    /// A known subcommand with arguments that make no sense.
    Invalid { message: String },
}

impl WbCommand {
    /// Parses the slash command's `text`. Never fails: bad input becomes
    /// [`WbCommand::Unknown`] or [`WbCommand::Invalid`] so the user is told why.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        let (head, rest) = match text.find(char::is_whitespace) {
            Some(i) => (&text[..i], text[i..].trim()),
            None => (text, ""),
        };
        let rest_opt = (!rest.is_empty()).then(|| rest.to_string());
        match head.to_lowercase().as_str() {
            "" | "help" | "-h" | "--help" | "?" => Self::Help,
            "pressrelease" | "press-release" | "pr" => Self::PressRelease { idea: rest_opt },
            "faq" | "q" | "ask" => Self::Faq { question: rest_opt },
            "list" | "ls" | "sessions" => Self::List,
            "export" => parse_export(rest),
            _ => Self::Unknown {
                word: head.chars().take(80).collect(),
            },
        }
    }
}

fn parse_export(rest: &str) -> WbCommand {
    let mut session_id = None;
    let mut target = ExportTarget::Markdown;
    for word in rest.split_whitespace() {
        let lower = word.trim_start_matches('#').to_lowercase();
        match lower.as_str() {
            "md" | "markdown" => target = ExportTarget::Markdown,
            "html" => target = ExportTarget::Html,
            "canvas" => target = ExportTarget::Canvas,
            other => match other.parse::<i64>() {
                Ok(id) if id > 0 && session_id.is_none() => session_id = Some(id),
                _ => {
                    return WbCommand::Invalid {
                        message: format!(
                            "`/wb export` takes an optional session number and one of md, html, canvas; `{}` is neither",
                            word.chars().take(80).collect::<String>()
                        ),
                    }
                }
            },
        }
    }
    WbCommand::Export { session_id, target }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_subcommand() {
        use ExportTarget::*;
        let idea = |s: &str| WbCommand::PressRelease {
            idea: Some(s.into()),
        };
        let cases: Vec<(&str, WbCommand)> = vec![
            ("", WbCommand::Help),
            ("   ", WbCommand::Help),
            ("help", WbCommand::Help),
            ("HELP", WbCommand::Help),
            (
                "pressrelease Smart fridge camera",
                idea("Smart fridge camera"),
            ),
            ("pr   Smart fridge camera  ", idea("Smart fridge camera")),
            ("PressRelease 🧊 Ice\tcube", idea("🧊 Ice\tcube")),
            ("pressrelease", WbCommand::PressRelease { idea: None }),
            ("pr   ", WbCommand::PressRelease { idea: None }),
            (
                "faq How much?",
                WbCommand::Faq {
                    question: Some("How much?".into()),
                },
            ),
            ("faq", WbCommand::Faq { question: None }),
            ("list", WbCommand::List),
            (
                "export",
                WbCommand::Export {
                    session_id: None,
                    target: Markdown,
                },
            ),
            (
                "export 3",
                WbCommand::Export {
                    session_id: Some(3),
                    target: Markdown,
                },
            ),
            (
                "export html",
                WbCommand::Export {
                    session_id: None,
                    target: Html,
                },
            ),
            (
                "export #7 canvas",
                WbCommand::Export {
                    session_id: Some(7),
                    target: Canvas,
                },
            ),
            (
                "export md 2",
                WbCommand::Export {
                    session_id: Some(2),
                    target: Markdown,
                },
            ),
            (
                "frobnicate now",
                WbCommand::Unknown {
                    word: "frobnicate".into(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(WbCommand::parse(text), want, "text: {text:?}");
        }
    }

    #[test]
    fn bad_export_arguments_are_explained() {
        for text in ["export pdf", "export 0", "export 1 2", "export -4"] {
            match WbCommand::parse(text) {
                WbCommand::Invalid { message } => {
                    assert!(message.contains("/wb export"), "{message}")
                }
                other => panic!("{text:?} parsed as {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_words_are_bounded() {
        let long = "x".repeat(10_000);
        match WbCommand::parse(&long) {
            WbCommand::Unknown { word } => assert_eq!(word.len(), 80),
            other => panic!("{other:?}"),
        }
    }
}

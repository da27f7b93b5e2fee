//! Parsing of the text after `/wb`: one enum, parsed in one place.

/// Where `/wb export` sends the doc set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTarget {
    Markdown,
    Html,
    Canvas,
}

/// What `/wb review` does with a session's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    /// Open the review form.
    Schedule,
    /// End silent reading now.
    End,
    /// Call off a review that has not started.
    Cancel,
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
    /// `review [ID]`, `review end [ID]`, `review cancel [ID]`.
    Review {
        session_id: Option<i64>,
        action: ReviewAction,
    },
    /// `decide [ID]`.
    Decide { session_id: Option<i64> },
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
            "review" => parse_review(rest),
            "decide" | "decision" => match parse_id("decide", rest) {
                Ok(session_id) => Self::Decide { session_id },
                Err(message) => Self::Invalid { message },
            },
            _ => Self::Unknown {
                word: head.chars().take(80).collect(),
            },
        }
    }
}

/// An optional session number (`3` or `#3`) and nothing else.
fn parse_id(command: &str, rest: &str) -> Result<Option<i64>, String> {
    let mut id = None;
    for word in rest.split_whitespace() {
        match word.trim_start_matches('#').parse::<i64>() {
            Ok(n) if n > 0 && id.is_none() => id = Some(n),
            _ => {
                return Err(format!(
                    "`/wb {command}` takes an optional session number; `{}` is not one",
                    word.chars().take(80).collect::<String>()
                ))
            }
        }
    }
    Ok(id)
}

fn parse_review(rest: &str) -> WbCommand {
    let (head, tail) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let (action, ids) = match head.to_lowercase().as_str() {
        "end" | "stop" | "finish" => (ReviewAction::End, tail),
        "cancel" | "off" => (ReviewAction::Cancel, tail),
        _ => (ReviewAction::Schedule, rest),
    };
    let name = match action {
        ReviewAction::Schedule => "review",
        ReviewAction::End => "review end",
        ReviewAction::Cancel => "review cancel",
    };
    match parse_id(name, ids) {
        Ok(session_id) => WbCommand::Review { session_id, action },
        Err(message) => WbCommand::Invalid {
            message: format!(
                "{message} (`/wb review [ID]`, `/wb review end [ID]`, `/wb review cancel [ID]`)"
            ),
        },
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
    fn review_and_decide_take_an_optional_session_number() {
        use ReviewAction::*;
        let review = |session_id, action| WbCommand::Review { session_id, action };
        let cases: Vec<(&str, WbCommand)> = vec![
            ("review", review(None, Schedule)),
            ("review 3", review(Some(3), Schedule)),
            ("Review #3", review(Some(3), Schedule)),
            ("review end", review(None, End)),
            ("review END 12", review(Some(12), End)),
            ("review cancel #4", review(Some(4), Cancel)),
            ("decide", WbCommand::Decide { session_id: None }),
            (
                "decide 7",
                WbCommand::Decide {
                    session_id: Some(7),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(WbCommand::parse(text), want, "text: {text:?}");
        }
        for text in [
            "review tomorrow",
            "review end 1 2",
            "decide go",
            "decide 0",
            "review cancel x",
        ] {
            match WbCommand::parse(text) {
                WbCommand::Invalid { message } => {
                    assert!(message.contains("session number"), "{message}")
                }
                other => panic!("{text:?} parsed as {other:?}"),
            }
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

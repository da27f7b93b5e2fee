//! Parsing of every `/wb` subcommand, good and bad.

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
fn triage_and_remind_take_an_optional_session_number() {
    let at = |s: &str| TimeOfDay::parse(s).expect("time");
    let cases: Vec<(&str, WbCommand)> = vec![
        ("triage", WbCommand::Triage { session_id: None }),
        (
            "triage 3",
            WbCommand::Triage {
                session_id: Some(3),
            },
        ),
        (
            "TRIAGE #12",
            WbCommand::Triage {
                session_id: Some(12),
            },
        ),
        (
            "remind daily 09:30",
            WbCommand::Remind {
                session_id: None,
                what: Remind::Daily(at("09:30")),
            },
        ),
        (
            "remind 4 Daily 7:05",
            WbCommand::Remind {
                session_id: Some(4),
                what: Remind::Daily(at("07:05")),
            },
        ),
        (
            "remind #4 off",
            WbCommand::Remind {
                session_id: Some(4),
                what: Remind::Off,
            },
        ),
        (
            "remind now",
            WbCommand::Remind {
                session_id: None,
                what: Remind::Now,
            },
        ),
        (
            "remind",
            WbCommand::Remind {
                session_id: None,
                what: Remind::Show,
            },
        ),
    ];
    for (text, want) in cases {
        assert_eq!(WbCommand::parse(text), want, "text: {text:?}");
    }
}

#[test]
fn bad_reminders_name_what_was_wrong() {
    let cases = [
        ("remind daily 25:00", "`25:00` is not a time of day"),
        ("remind daily 9am", "`9am` is not a time of day"),
        ("remind daily", "`daily` needs a time"),
        ("remind weekly", "`weekly` is not a reminder wb knows"),
        (
            "remind 3 weekly 09:00",
            "`weekly` is not a reminder wb knows",
        ),
        ("remind daily 09:30 please", "`please` is one word too many"),
        ("remind now later", "`later` is one word too many"),
        ("remind 0 now", "`0` is not a session number"),
        ("remind -2 off", "`-2` is not a session number"),
        ("triage x", "`x` is not one"),
        ("triage #0", "`#0` is not a session number"),
    ];
    for (text, says) in cases {
        match WbCommand::parse(text) {
            WbCommand::Invalid { message } => {
                assert!(message.contains(says), "{text}: {message}");
                if text.starts_with("remind") {
                    assert!(message.contains("/wb remind [ID] daily HH:MM"), "{message}");
                }
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

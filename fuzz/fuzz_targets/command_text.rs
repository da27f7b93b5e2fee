//! The `/wb` text parser never panics and keeps its promises: bounded echo of an
//! unknown word, trimmed non-empty arguments, positive session numbers, and the
//! same answer whatever whitespace surrounds the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wb::domain::command::WbCommand;
use wb::domain::session::Title;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = WbCommand::parse(&text);
    assert_eq!(
        WbCommand::parse(&format!(" \t{text}\n ")),
        parsed,
        "surrounding whitespace changed the parse"
    );
    match &parsed {
        WbCommand::PressRelease { idea: Some(arg) }
        | WbCommand::Faq {
            question: Some(arg),
        } => {
            assert!(
                !arg.is_empty() && arg.trim() == arg,
                "untrimmed argument {arg:?}"
            );
            // The next step of `/wb pressrelease`: a title or a clear refusal.
            if let Ok(title) = Title::parse(arg) {
                assert!(!title.as_str().is_empty());
            }
        }
        WbCommand::Export { session_id, .. }
        | WbCommand::Triage { session_id }
        | WbCommand::Remind { session_id, .. }
        | WbCommand::Review { session_id, .. }
        | WbCommand::Decide { session_id } => {
            assert!(
                session_id.is_none_or(|id| id > 0),
                "session #{session_id:?}"
            );
        }
        WbCommand::Unknown { word } => {
            assert!(
                word.chars().count() <= 80,
                "unbounded echo: {} chars",
                word.chars().count()
            );
            assert!(!word.chars().any(char::is_whitespace));
        }
        WbCommand::Invalid { message } => {
            // Every refusal names the command it is about.
            assert!(message.contains("/wb "), "{message:?}");
            assert!(
                message.chars().count() < 300,
                "unbounded echo in {message:?}"
            );
        }
        WbCommand::PressRelease { idea: None }
        | WbCommand::Faq { question: None }
        | WbCommand::List
        | WbCommand::Help => {}
    }
});

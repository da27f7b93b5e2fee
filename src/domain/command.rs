//! Parsing of the text after `/wb`: one enum, parsed in one place.

use super::remind::TimeOfDay;

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

/// What `/wb remind` is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remind {
    /// `daily HH:MM`: every day at that time, in the caller's time zone.
    Daily(TimeOfDay),
    /// `off`: stop the daily reminder.
    Off,
    /// `now`: post the digest now.
    Now,
    /// Nothing after the id: say what is set.
    Show,
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
    /// `triage [ID]`: the Triage modal.
    Triage { session_id: Option<i64> },
    /// `remind [ID] daily HH:MM | off | now`.
    Remind {
        session_id: Option<i64>,
        what: Remind,
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
            "triage" => parse_triage(rest),
            "remind" | "reminder" | "reminders" => parse_remind(rest),
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

/// An optional leading session number (`3` or `#3`) and the rest.
fn session_number(rest: &str) -> Result<(Option<i64>, Vec<&str>), String> {
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    let Some(first) = words.first() else {
        return Ok((None, words));
    };
    let digits = first.trim_start_matches('#');
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return Ok((None, words));
    }
    match digits.parse::<i64>() {
        Ok(id) if id > 0 => {
            words.remove(0);
            Ok((Some(id), words))
        }
        _ => Err(format!(
            "`{}` is not a session number (`/wb list` shows them)",
            first.chars().take(20).collect::<String>()
        )),
    }
}

fn parse_triage(rest: &str) -> WbCommand {
    match session_number(rest) {
        Ok((session_id, words)) if words.is_empty() => WbCommand::Triage { session_id },
        Ok((_, words)) => WbCommand::Invalid {
            message: format!(
                "`/wb triage` takes an optional session number; `{}` is not one",
                words[0].chars().take(80).collect::<String>()
            ),
        },
        Err(message) => WbCommand::Invalid { message },
    }
}

/// How `/wb remind` is used (said with every mistake).
pub const REMIND_USAGE: &str = "Use `/wb remind [ID] daily HH:MM` (24-hour clock, your time zone), `/wb remind [ID] off` or `/wb remind [ID] now`.";

fn parse_remind(rest: &str) -> WbCommand {
    let invalid = |why: String| WbCommand::Invalid {
        message: format!(":warning: {why}. {REMIND_USAGE}"),
    };
    let (session_id, words) = match session_number(rest) {
        Ok(parsed) => parsed,
        Err(why) => return invalid(why),
    };
    let shown = |w: &str| w.chars().take(40).collect::<String>();
    let what = match words.as_slice() {
        [] => Remind::Show,
        [word, tail @ ..] => {
            let what = match word.to_lowercase().as_str() {
                "daily" => match tail.first() {
                    None => return invalid("`daily` needs a time, e.g. `daily 09:30`".into()),
                    Some(time) => match TimeOfDay::parse(time) {
                        Ok(at) => Remind::Daily(at),
                        Err(why) => return invalid(why),
                    },
                },
                "off" | "stop" | "cancel" => Remind::Off,
                "now" => Remind::Now,
                _ => {
                    return invalid(format!(
                    "`{}` is not a reminder wb knows: reminders are `daily HH:MM`, `off` or `now`",
                    shown(word)
                ))
                }
            };
            let expected_tail = usize::from(matches!(what, Remind::Daily(_)));
            if let Some(extra) = tail.get(expected_tail) {
                return invalid(format!("`{}` is one word too many", shown(extra)));
            }
            what
        }
    };
    WbCommand::Remind { session_id, what }
}

#[cfg(test)]
mod tests;

//! The review form's rules: reading time, when reading may start, and the
//! reviewers.

use jiff::Timestamp;

/// Reading time when the form says nothing: about 20 minutes of a 60-minute
/// meeting (Bryar & Carr).
pub const DEFAULT_READING_MINUTES: i64 = 20;
pub const MIN_READING_MINUTES: i64 = 1;
pub const MAX_READING_MINUTES: i64 = 120;
/// Furthest ahead a review may be scheduled.
pub const MAX_AHEAD_DAYS: i64 = 90;
/// A picked time this far in the past still means "now": the picker has
/// minute steps, so choosing the current minute lands up to a minute behind.
pub const PAST_GRACE_SECS: i64 = 120;
/// Longest comment, rationale or next steps kept. Slack's input stops at
/// 3,000 characters, but a payload may carry more: it is stored verbatim and
/// posted split, up to this bound (far below the 1 MiB request limit).
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Most reviewers one review may name.
pub const MAX_REVIEWERS: usize = 50;

/// Why a review form cannot be accepted, as the user should read it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("Reading time is a whole number of minutes from {MIN_READING_MINUTES} to {MAX_READING_MINUTES}.")]
    Minutes,
    #[error("That time has passed. Pick a time from now on, or leave it empty to start now.")]
    Past,
    #[error("Pick a time within the next {MAX_AHEAD_DAYS} days.")]
    TooFar,
    #[error("Pick at least one reviewer.")]
    NoReviewers,
    #[error("Pick at most {MAX_REVIEWERS} reviewers.")]
    TooManyReviewers,
}

/// The reading time typed in the form: empty means the default.
pub fn reading_minutes(raw: Option<&str>) -> Result<i64, FormError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok(DEFAULT_READING_MINUTES);
    }
    match raw.parse::<i64>() {
        Ok(n) if (MIN_READING_MINUTES..=MAX_READING_MINUTES).contains(&n) => Ok(n),
        _ => Err(FormError::Minutes),
    }
}

/// When reading starts, from the picker's unix seconds (`None`: now), as of
/// `now`. A time within [`PAST_GRACE_SECS`] behind now starts now.
pub fn start_time(picked: Option<i64>, now: Timestamp) -> Result<Timestamp, FormError> {
    let Some(secs) = picked else {
        return Ok(now);
    };
    let now_s = now.as_second();
    if secs < now_s - PAST_GRACE_SECS {
        return Err(FormError::Past);
    }
    if secs > now_s + MAX_AHEAD_DAYS * 86_400 {
        return Err(FormError::TooFar);
    }
    if secs <= now_s {
        return Ok(now);
    }
    Timestamp::from_second(secs).map_err(|_| FormError::TooFar)
}

/// The reviewers picked: at least one, at most [`MAX_REVIEWERS`], each once,
/// in the order picked.
pub fn reviewers(picked: &[String]) -> Result<Vec<String>, FormError> {
    let mut out: Vec<String> = Vec::new();
    for user in picked.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
        if !out.iter().any(|u| u == user) {
            out.push(user.to_string());
        }
    }
    match out.len() {
        0 => Err(FormError::NoReviewers),
        n if n > MAX_REVIEWERS => Err(FormError::TooManyReviewers),
        _ => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("ts")
    }

    #[test]
    fn reading_minutes_default_to_twenty_and_stay_in_range() {
        let cases: [(Option<&str>, Result<i64, FormError>); 9] = [
            (None, Ok(20)),
            (Some(""), Ok(20)),
            (Some(" 1 "), Ok(1)),
            (Some("120"), Ok(120)),
            (Some("0"), Err(FormError::Minutes)),
            (Some("121"), Err(FormError::Minutes)),
            (Some("-5"), Err(FormError::Minutes)),
            (Some("12.5"), Err(FormError::Minutes)),
            (Some("twenty"), Err(FormError::Minutes)),
        ];
        for (raw, want) in cases {
            assert_eq!(reading_minutes(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn a_review_starts_now_or_later_within_ninety_days() {
        let now = at("2026-12-01T09:30:30Z");
        let s = now.as_second();
        let cases = [
            (None, Ok(now)),
            (Some(s), Ok(now)),
            (Some(s - 30), Ok(now)),
            (Some(s - 3600), Err(FormError::Past)),
            (Some(s + 3600), Ok(at("2026-12-01T10:30:30Z"))),
            (Some(s + 90 * 86_400), Ok(at("2027-03-01T09:30:30Z"))),
            (Some(s + 90 * 86_400 + 1), Err(FormError::TooFar)),
            (Some(i64::MAX), Err(FormError::TooFar)),
        ];
        for (picked, want) in cases {
            assert_eq!(start_time(picked, now), want, "{picked:?}");
        }
    }

    #[test]
    fn reviewers_are_deduplicated_and_bounded() {
        let picked = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            reviewers(&picked(&["U1", "U2", "U1", " "])),
            Ok(picked(&["U1", "U2"]))
        );
        assert_eq!(reviewers(&[]), Err(FormError::NoReviewers));
        let many: Vec<String> = (0..51).map(|i| format!("U{i}")).collect();
        assert_eq!(reviewers(&many), Err(FormError::TooManyReviewers));
    }
}

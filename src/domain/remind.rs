//! Daily reminders: the time of day people type (24-hour `HH:MM`), the next
//! moment it falls due in their time zone — DST-correct: 09:30 stays 09:30
//! on the wall clock when the offset changes — and how late a reminder may
//! still be sent after wb was down.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// A digest lists at most this many open questions.
pub const DIGEST_SIZE: usize = 5;

/// A reminder due while wb was down is still sent at start when it is less
/// late than this (an hour); a later one is skipped and logged, so nobody gets
/// yesterday's 09:30 digest at 17:00.
pub const MAX_LATE_MS: i64 = 3_600_000;

/// A reminder this late says so in the thread (a restart, not a delay).
pub const SAY_LATE_MS: i64 = 120_000;

/// A time of day on the 24-hour clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay {
    hour: i8,
    minute: i8,
}

impl TimeOfDay {
    /// `09:30`, `9:30`, `21:05`. The error says what is wrong, for the user.
    pub fn parse(text: &str) -> Result<Self, String> {
        let shown: String = text.chars().take(20).collect();
        let usage = format!(
            "`{shown}` is not a time of day: use the 24-hour clock, `HH:MM` (e.g. `09:30` or `17:45`)"
        );
        let Some((h, m)) = text.split_once(':') else {
            return Err(usage);
        };
        let digits = |s: &str, max_len: usize| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i8>().ok())
                .flatten()
        };
        let (Some(hour), Some(minute)) = (digits(h, 2), digits(m, 2)) else {
            return Err(usage);
        };
        if m.len() != 2 {
            return Err(usage);
        }
        if hour > 23 {
            return Err(format!(
                "`{shown}` is not a time of day: hours go from 00 to 23 (24-hour clock)"
            ));
        }
        if minute > 59 {
            return Err(format!(
                "`{shown}` is not a time of day: minutes go from 00 to 59"
            ));
        }
        Ok(Self { hour, minute })
    }

    pub fn hour(self) -> i8 {
        self.hour
    }

    pub fn minute(self) -> i8 {
        self.minute
    }

    fn civil(self) -> Time {
        Time::constant(self.hour, self.minute, 0, 0)
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// The time zone named `name` (an IANA name as `users.info` gives it).
pub fn zone(name: &str) -> Option<TimeZone> {
    TimeZone::get(name).ok()
}

/// The first moment strictly after `after` when the wall clock in `tz` shows
/// `at`. On the day a DST gap swallows `at` (02:30 when clocks jump from 02:00
/// to 03:00), the reminder comes at the same distance past the gap (03:30);
/// when a fold repeats it, at its first occurrence.
pub fn next_due(after: Timestamp, at: TimeOfDay, tz: &TimeZone) -> Timestamp {
    let today = after.to_zoned(tz.clone()).date();
    // Two days cover every case: today's time may have passed already.
    for offset in 0..3_i64 {
        let Some(day) = add_days(today, offset) else {
            break;
        };
        if let Ok(zoned) = day.to_datetime(at.civil()).to_zoned(tz.clone()) {
            let ts = zoned.timestamp();
            if ts > after {
                return ts;
            }
        }
    }
    // Unreachable for real dates; a day later is the safe answer.
    after + 24.hours()
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(days.days()).ok()
}

/// How a due reminder is handled, given how late it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lateness {
    /// On time (or a little late): send it.
    OnTime,
    /// Late after a restart, but under [`MAX_LATE_MS`]: send it and say so.
    Late { minutes: i64 },
    /// Too late: skip this one (and log it).
    Skip { minutes: i64 },
}

/// Judges a reminder due at `due_ms` that runs at `now_ms`.
pub fn lateness(due_ms: i64, now_ms: i64) -> Lateness {
    let late = now_ms - due_ms;
    let minutes = late / 60_000;
    if late >= MAX_LATE_MS {
        Lateness::Skip { minutes }
    } else if late >= SAY_LATE_MS {
        Lateness::Late { minutes }
    } else {
        Lateness::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn times_of_day_are_24_hour_hh_mm() {
        for (text, want) in [("09:30", "09:30"), ("9:30", "09:30"), ("23:59", "23:59")] {
            assert_eq!(
                TimeOfDay::parse(text).map(|t| t.to_string()),
                Ok(want.into())
            );
        }
        for (text, says) in [
            ("25:00", "hours go from 00 to 23"),
            ("24:00", "hours go from 00 to 23"),
            ("09:60", "minutes go from 00 to 59"),
            ("9am", "24-hour clock"),
            ("09:3", "24-hour clock"),
            ("0930", "24-hour clock"),
            ("-1:30", "24-hour clock"),
            ("", "24-hour clock"),
        ] {
            let err = TimeOfDay::parse(text).expect_err(text);
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn the_next_reminder_keeps_the_wall_clock_time_across_dst() {
        let paris = zone("Europe/Paris").expect("tz");
        let ny = zone("America/New_York").expect("tz");
        let at = |s: &str| TimeOfDay::parse(s).expect("time");
        let cases = [
            // Later today, then tomorrow once it has passed (CET = UTC+1).
            (
                &paris,
                "2026-11-30T07:00:00Z",
                "09:30",
                "2026-11-30T08:30:00Z",
            ),
            (
                &paris,
                "2026-11-30T08:30:00Z",
                "09:30",
                "2026-12-01T08:30:00Z",
            ),
            // Paris springs forward on 2026-03-29: 09:30 is 07:30Z after it.
            (
                &paris,
                "2026-03-28T08:31:00Z",
                "09:30",
                "2026-03-29T07:30:00Z",
            ),
            // New York: EST (UTC-5) before 2026-03-08, EDT (UTC-4) after.
            (&ny, "2026-03-07T15:00:00Z", "09:30", "2026-03-08T13:30:00Z"),
            // 02:30 does not exist that day: 03:30 EDT.
            (&ny, "2026-03-07T08:00:00Z", "02:30", "2026-03-08T07:30:00Z"),
            // 01:30 happens twice on 2026-11-01: the first one (EDT).
            (&ny, "2026-10-31T06:00:00Z", "01:30", "2026-11-01T05:30:00Z"),
            // And back to EST the day after.
            (&ny, "2026-11-01T12:00:00Z", "09:30", "2026-11-01T14:30:00Z"),
        ];
        for (tz, after, time, want) in cases {
            assert_eq!(
                next_due(ts(after), at(time), tz),
                ts(want),
                "{after} {time}"
            );
        }
    }

    #[test]
    fn a_reminder_an_hour_late_is_skipped() {
        let due = 1_000_000_000;
        assert_eq!(lateness(due, due), Lateness::OnTime);
        assert_eq!(lateness(due, due + 60_000), Lateness::OnTime);
        assert_eq!(
            lateness(due, due + 25 * 60_000),
            Lateness::Late { minutes: 25 }
        );
        assert_eq!(
            lateness(due, due + MAX_LATE_MS - 1),
            Lateness::Late { minutes: 59 }
        );
        assert_eq!(
            lateness(due, due + MAX_LATE_MS),
            Lateness::Skip { minutes: 60 }
        );
    }
}

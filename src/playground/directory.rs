//! Who and where the emulated workspace is: its team, channel, bot and the
//! people the page can act as (with the time zones `users.info` reports).

use serde::{Deserialize, Serialize};

pub const TEAM_ID: &str = "T0PLAYGRND";
pub const TEAM_NAME: &str = "Playground";
pub const TEAM_DOMAIN: &str = "playground";
pub const CHANNEL_ID: &str = "C0PRODUCT1";
pub const CHANNEL_NAME: &str = "product";
pub const BOT_USER: &str = "U0PLAYBOT1";
pub const BOT_ID: &str = "B0PLAYBOT1";
pub const APP_ID: &str = "A0PLAYWB01";
pub const BOT_NAME: &str = "wb";
/// The bot's direct-message channel with each user (App Home's `channel`).
pub const HOME_CHANNEL: &str = "D0PLAYHOME";

/// Slack cuts nothing: a message text over this many characters is refused.
pub const MAX_MESSAGE_CHARS: usize = 40_000;

/// A person (or the bot) in the workspace, as `users.info` describes them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    /// The handle (`name` in Slack's user object).
    pub name: String,
    pub real_name: String,
    pub display_name: String,
    pub tz: String,
    pub tz_label: String,
    pub tz_offset: i64,
}

/// The people the page can act as (at least three, as the issue asks).
pub fn people() -> Vec<Person> {
    let p =
        |id: &str, name: &str, real: &str, display: &str, tz: &str, label: &str, off: i64| Person {
            id: id.into(),
            name: name.into(),
            real_name: real.into(),
            display_name: display.into(),
            tz: tz.into(),
            tz_label: label.into(),
            tz_offset: off,
        };
    vec![
        p(
            "U0PLAYYOU1",
            "you",
            "You",
            "you",
            "Europe/London",
            "Greenwich Mean Time",
            0,
        ),
        p(
            "U0PLAYLI01",
            "li",
            "Li Wei",
            "Li",
            "Asia/Shanghai",
            "China Standard Time",
            28_800,
        ),
        p(
            "U0PLAYSAM1",
            "sam",
            "Sam Taylor",
            "Sam",
            "America/Los_Angeles",
            "Pacific Standard Time",
            -28_800,
        ),
    ]
}

//! Slack's rate limits as pacing rules (`../shared/slack/FACTS.md` §D-5):
//! about one message per second per channel with short bursts, and per-method
//! tiers per workspace — Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min.

/// A rate: one call per `interval_ms` on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub interval_ms: i64,
    pub burst: i64,
}

impl Rule {
    /// How far ahead of its even spacing a call may come: `burst - 1` intervals.
    pub fn tolerance_ms(&self) -> i64 {
        (self.burst.max(1) - 1) * self.interval_ms
    }
}

/// Messages into one channel: "one message per second per channel" (D24),
/// short bursts allowed. 1.1 s rather than 1 s: a call leaves on its turn or
/// later, never earlier, but network jitter can bring two calls to Slack
/// closer together than they left; a tenth of a second absorbs it.
pub const CHANNEL: Rule = Rule {
    interval_ms: 1_100,
    burst: 3,
};

/// Methods that put a message into a channel, paced per channel.
pub fn posts_to_channel(method: &str) -> bool {
    matches!(
        method,
        "chat.postMessage" | "chat.postEphemeral" | "chat.update" | "files.completeUploadExternal"
    )
}

/// The workspace-wide budget of `method` (its tier, D26), or `None` for
/// Slack's "special" methods (chat.postMessage is limited per channel,
/// chat.getPermalink generously) and methods called while a user waits
/// (views.open must answer within the trigger's 3 s, it is not paced).
///
/// The tiers are "N+ per minute" and "sporadic bursts are welcome": wb spends
/// N per minute evenly after a burst of N/5, so no minute exceeds 1.2 N.
pub fn tier(method: &str) -> Option<Rule> {
    let per_minute: i64 = match method {
        // Tier 2 (reactions.remove: docs.slack.dev; canvases.create: D26).
        "reactions.remove" | "canvases.create" => 20,
        // Tier 3.
        "chat.update" | "reactions.add" | "conversations.join" => 50,
        // Tier 4.
        "chat.postEphemeral"
        | "views.publish"
        | "users.info"
        | "files.getUploadURLExternal"
        | "files.completeUploadExternal" => 100,
        _ => return None,
    };
    Some(Rule {
        interval_ms: 60_000 / per_minute,
        burst: per_minute / 5,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_slacks_table() {
        let cases = [
            ("reactions.add", Some((1_200, 10))),
            ("chat.update", Some((1_200, 10))),
            ("reactions.remove", Some((3_000, 4))),
            ("chat.postEphemeral", Some((600, 20))),
            ("chat.postMessage", None),
            ("views.open", None),
        ];
        for (method, want) in cases {
            let got = tier(method).map(|r| (r.interval_ms, r.burst));
            assert_eq!(got, want, "{method}");
        }
        assert!(posts_to_channel("chat.update"));
        assert!(!posts_to_channel("reactions.add"));
        assert_eq!(CHANNEL.tolerance_ms(), 2_200);
    }
}

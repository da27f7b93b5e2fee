//! Pacing of Slack Web API calls: wb spaces its calls to Slack's documented
//! rates before Slack has to answer 429. Messages into one channel (post,
//! ephemeral, update, file share) go about one per second after a short burst;
//! each method keeps within its tier's budget of each workspace ([`rules`]),
//! so one busy workspace never uses up another's.
//!
//! The outbox worker asks [`Pacer::admit`] before a call. The answer is
//! either "go" or "wait until T": the job is then put back in the outbox, due
//! at T, and its worker slot is freed — a burst in one channel never holds up
//! another channel's calls. A call keeps its place in line across those
//! postponements (its `ticket`), so calls into a channel leave in the order
//! they first asked. Within a method's workspace budget, channels take turns
//! (start-time fair queuing: each channel's calls get increasing virtual
//! tags, a newly active channel starts at the current virtual time), so a
//! channel with 300 waiting reactions delays another channel's reaction by
//! about one turn, not by 300.
//!
//! Each bucket is a GCRA (generic cell rate algorithm): a theoretical arrival
//! time advanced by one interval per call, allowed up to `burst - 1`
//! intervals early. A 429 blocks the call's buckets until its `Retry-After`.
//! State lives in memory: after a restart, pacing starts afresh (at most one
//! burst per channel). Time is the injected clock's unix milliseconds.

pub mod rules;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

pub use rules::Rule;

/// How long a waiting call keeps its place after its turn came without it
/// asking again (its job is gone, or the worker is far behind).
const GRACE_MS: i64 = 30_000;
/// Sweep idle buckets after this many admissions.
const SWEEP_EVERY: u64 = 512;

/// Which limit held a call back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// About one message per second into the channel.
    Channel,
    /// The method's workspace budget (its tier).
    Tier,
    /// Slack answered 429 with `Retry-After` for this channel or method.
    RetryAfter,
}

impl Limit {
    pub fn label(self) -> &'static str {
        match self {
            Limit::Channel => "channel",
            Limit::Tier => "tier",
            Limit::RetryAfter => "retry_after",
        }
    }
}

/// The pacer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Call now. `waited_ms`: since the call first asked; `paced`: whether a
    /// limit applies to it at all.
    Go { waited_ms: i64, paced: bool },
    /// Ask again at `until_ms` (unix ms).
    Wait { until_ms: i64, limit: Limit },
}

/// One call asking for its turn.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// Stays the same across the call's postponements (e.g. `job:42`).
    pub ticket: &'a str,
    pub method: &'a str,
    /// The channel it writes into, if any.
    pub channel: Option<&'a str>,
    /// The workspace whose token makes it: tiers are budgets per method
    /// *per workspace* (FACTS D23), so each workspace has its own.
    pub team: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Channel(String),
    /// (team, method): a tier budget of one workspace.
    Method(String, String),
}

type Place = (u64, u64);

#[derive(Debug)]
struct Waiter {
    ticket: String,
    first_ms: i64,
    expect_ms: i64,
}

#[derive(Debug)]
struct Bucket {
    rule: Rule,
    /// GCRA: when the next call would be due on an even spacing.
    tat_ms: i64,
    blocked_until_ms: i64,
    /// The line: (virtual start tag, arrival number) → waiter.
    queue: BTreeMap<Place, Waiter>,
    places: HashMap<String, Place>,
    /// Per channel, the virtual tag after its last call in line.
    finish: HashMap<String, u64>,
    vtime: u64,
    seq: u64,
}

impl Bucket {
    fn new(rule: Rule) -> Self {
        Self {
            rule,
            tat_ms: i64::MIN / 2,
            blocked_until_ms: i64::MIN / 2,
            queue: BTreeMap::new(),
            places: HashMap::new(),
            finish: HashMap::new(),
            vtime: 0,
            seq: 0,
        }
    }

    /// The ticket's place in line, taking one at the back of its flow if new.
    fn place(&mut self, ticket: &str, flow: &str, now: i64) -> Place {
        if let Some(place) = self.places.get(ticket) {
            return *place;
        }
        let tag = self.finish.get(flow).copied().unwrap_or(0).max(self.vtime);
        self.finish.insert(flow.to_string(), tag + 1);
        self.seq += 1;
        let place = (tag, self.seq);
        self.queue.insert(
            place,
            Waiter {
                ticket: ticket.to_string(),
                first_ms: now,
                expect_ms: now,
            },
        );
        self.places.insert(ticket.to_string(), place);
        place
    }

    /// When the call at `place` may go, if everyone ahead goes on their turn.
    fn slot(&self, place: Place, now: i64) -> i64 {
        let ahead = self.queue.range(..place).count() as i64;
        let base = self.tat_ms.max(now);
        (base + ahead * self.rule.interval_ms - self.rule.tolerance_ms())
            .max(now)
            .max(self.blocked_until_ms)
    }

    fn go(&mut self, place: Place, now: i64) {
        if let Some(waiter) = self.queue.remove(&place) {
            self.places.remove(&waiter.ticket);
        }
        self.tat_ms = self.tat_ms.max(now) + self.rule.interval_ms;
        self.vtime = self.vtime.max(place.0);
    }

    /// Drops waiters that did not come back on their turn.
    fn purge(&mut self, now: i64) {
        let gone: Vec<Place> = self
            .queue
            .iter()
            .filter(|(_, w)| w.expect_ms + GRACE_MS < now)
            .map(|(p, _)| *p)
            .collect();
        for place in gone {
            if let Some(waiter) = self.queue.remove(&place) {
                self.places.remove(&waiter.ticket);
            }
        }
        // Flows with nothing in line start again at the virtual time.
        let vtime = self.vtime;
        self.finish.retain(|_, f| *f > vtime);
    }

    fn idle(&self, now: i64) -> bool {
        self.queue.is_empty() && self.tat_ms < now && self.blocked_until_ms < now
    }
}

#[derive(Debug, Default)]
struct State {
    buckets: HashMap<Key, Bucket>,
    admitted: u64,
}

/// Spaces Web API calls per channel and per method; shared by the worker.
#[derive(Debug)]
pub struct Pacer {
    enabled: bool,
    state: Mutex<State>,
}

/// The buckets a call must pass, with the limit each stands for and the
/// flow (channel) it queues under.
fn keys(call: &Call<'_>) -> Vec<(Key, Rule, Limit, String)> {
    let flow = call.channel.unwrap_or_default().to_string();
    let mut keys = Vec::with_capacity(2);
    if let Some(channel) = call.channel.filter(|c| !c.is_empty()) {
        if rules::posts_to_channel(call.method) {
            keys.push((
                Key::Channel(channel.to_string()),
                rules::CHANNEL,
                Limit::Channel,
                flow.clone(),
            ));
        }
    }
    if let Some(rule) = rules::tier(call.method) {
        keys.push((
            Key::Method(call.team.to_string(), call.method.to_string()),
            rule,
            Limit::Tier,
            flow,
        ));
    }
    keys
}

impl Pacer {
    /// `enabled: false` lets every call go at once (`WB_SLACK_PACING=off`).
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            state: Mutex::new(State::default()),
        }
    }

    /// May `call` go at `now` (unix ms)? A call told to wait keeps its place.
    pub fn admit(&self, call: &Call<'_>, now: i64) -> Gate {
        let keys = if self.enabled { keys(call) } else { Vec::new() };
        if keys.is_empty() {
            return Gate::Go {
                waited_ms: 0,
                paced: false,
            };
        }
        let Ok(mut state) = self.state.lock() else {
            // A panic elsewhere poisoned the lock: do not stop Slack calls over it.
            return Gate::Go {
                waited_ms: 0,
                paced: false,
            };
        };
        state.admitted += 1;
        if state.admitted % SWEEP_EVERY == 0 {
            state.buckets.retain(|_, b| !b.idle(now));
        }
        let mut until = now;
        let mut held_by = Limit::Channel;
        let mut first = now;
        let mut places = Vec::with_capacity(keys.len());
        for (key, rule, limit, flow) in keys {
            let bucket = state
                .buckets
                .entry(key.clone())
                .or_insert_with(|| Bucket::new(rule));
            bucket.purge(now);
            let place = bucket.place(call.ticket, &flow, now);
            let slot = bucket.slot(place, now);
            if let Some(waiter) = bucket.queue.get(&place) {
                first = first.min(waiter.first_ms);
            }
            if slot > until {
                until = slot;
                held_by = if slot == bucket.blocked_until_ms {
                    Limit::RetryAfter
                } else {
                    limit
                };
            }
            places.push((key, place));
        }
        for (key, place) in places {
            let Some(bucket) = state.buckets.get_mut(&key) else {
                continue;
            };
            if until <= now {
                bucket.go(place, now);
            } else if let Some(waiter) = bucket.queue.get_mut(&place) {
                waiter.expect_ms = until;
            }
        }
        if until <= now {
            Gate::Go {
                waited_ms: now - first,
                paced: true,
            }
        } else {
            Gate::Wait {
                until_ms: until,
                limit: held_by,
            }
        }
    }

    /// Slack answered 429 to `call`: nothing more through its buckets until
    /// `until_ms`.
    pub fn rate_limited(&self, call: &Call<'_>, until_ms: i64) {
        if !self.enabled {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        for (key, rule, _, _) in keys(call) {
            let bucket = state
                .buckets
                .entry(key)
                .or_insert_with(|| Bucket::new(rule));
            bucket.blocked_until_ms = bucket.blocked_until_ms.max(until_ms);
        }
    }

    /// Calls waiting for their turn now.
    pub fn waiting(&self) -> usize {
        let Ok(state) = self.state.lock() else {
            return 0;
        };
        let tickets: HashSet<&str> = state
            .buckets
            .values()
            .flat_map(|b| b.queue.values().map(|w| w.ticket.as_str()))
            .collect();
        tickets.len()
    }
}

#[cfg(test)]
mod tests;

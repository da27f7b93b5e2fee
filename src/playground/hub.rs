//! The emulator's shared core: the world behind one lock, the change counter
//! the page's live stream follows, and the way to wb. Every part of the
//! playground (Web API, page actions, response_urls) goes through here.

use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use super::deliver::Wb;

/// The body of every response the playground's server sends.
pub type Body = http_body_util::combinators::UnsyncBoxBody<bytes::Bytes, std::convert::Infallible>;
use super::world::{self, Person, World};

pub struct Hub {
    world: Mutex<World>,
    changes: watch::Sender<u64>,
    pub wb: Wb,
    /// `http://host:port` of the page, for links wb keeps (permalinks, files).
    pub base_url: String,
    /// The bot token wb must present on every Web API call.
    pub bot_token: String,
    pub people: Vec<Person>,
    /// Makes event ids unique across restarts on the same database (wb
    /// dedupes on `event_id` for good).
    pub run_id: String,
}

impl Hub {
    pub fn new(world: World, wb: Wb, base_url: String, bot_token: String, run_id: String) -> Self {
        let (changes, _) = watch::channel(0);
        Self {
            world: Mutex::new(world),
            changes,
            wb,
            base_url,
            bot_token,
            people: world::people(),
            run_id,
        }
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic while holding the lock cannot leave the world half-written
        // in a way that matters more than stopping the playground would.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the world.
    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.lock())
    }

    /// Changes the world and tells every open page.
    pub fn change<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let out = f(&mut self.lock());
        self.changes.send_modify(|v| *v += 1);
        out
    }

    /// Changes the world without telling the page (ids, triggers).
    pub fn quietly<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.lock())
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// A JSON copy of what survives a restart.
    pub fn saved(&self) -> Option<String> {
        serde_json::to_string(&*self.lock()).ok()
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// The name Slack shows for a user id (the bot is "wb").
    pub fn display_name(&self, id: &str) -> String {
        if id == world::BOT_USER {
            return world::BOT_NAME.to_string();
        }
        self.person(id)
            .map(|p| p.display_name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// A unique `event_id`.
    pub fn event_id(&self) -> String {
        let n = self.quietly(|w| w.next_number());
        format!("Ev{}{n:06}", self.run_id)
    }

    /// Where a response_url with key `key` answers.
    pub fn hook_url(&self, key: &str) -> String {
        format!("{}/hooks/{key}", self.base_url)
    }
}

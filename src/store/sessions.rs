//! Sessions: one row per idea thread.

use super::db::{args, Dialect, Row, Tx};
use super::error::StoreResult;
use crate::domain::review::{Outcome, Status};
use crate::domain::session::{NewSession, Session, SessionSummary};
use crate::domain::tenant::Workspace;

/// The dedupe key of a session's pending root refresh is this and its id.
pub const ROOT_REFRESH_KEY: &str = "root:";

/// Where a reply's message is kept once captured: the one table
/// [`Tx::thread_session`] looks in for it (a message's kind follows from its
/// text, so the same message delivered again is kept in the same table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptIn {
    Questions,
    Drafts,
    Entries,
}

impl KeptIn {
    /// Each, in the order of [`THREAD_SESSION`]'s statements.
    pub const ALL: [KeptIn; 3] = [KeptIn::Questions, KeptIn::Drafts, KeptIn::Entries];

    fn table(self) -> &'static str {
        match self {
            KeptIn::Questions => "questions",
            KeptIn::Drafts => "drafts",
            KeptIn::Entries => "entries",
        }
    }

    fn statement(self) -> &'static str {
        &THREAD_SESSION[self as usize]
    }
}

/// [`Tx::thread_session`]'s statements (one per [`KeptIn`]), written once:
/// a text built on each reply would be copied again each time, and could
/// not be kept by the writer's statements (`store::sqlite::statements`),
/// which know a text by where it lives.
static THREAD_SESSION: std::sync::LazyLock<[String; 3]> = std::sync::LazyLock::new(|| {
    KeptIn::ALL.map(|kept_in| {
        format!(
            "SELECT s.id, s.team_id, s.enterprise_id, s.last_activity_at AS active_at,
                    CASE WHEN EXISTS (
                        SELECT 1 FROM outbox o
                         WHERE o.dedupe_key = '{ROOT_REFRESH_KEY}' || s.id
                           AND o.state = 'pending' AND o.dedupe_key IS NOT NULL
                    ) THEN 1 ELSE 0 END AS refresh_pending,
                    CASE WHEN EXISTS (
                        SELECT 1 FROM {table} k WHERE k.message_ts = $1 AND k.session_id = s.id
                    ) THEN 1 ELSE 0 END AS captured
               FROM sessions s WHERE s.channel_id = $2 AND s.thread_ts = $3",
            table = kept_in.table()
        )
    })
});

/// A thread's session, as a reply in it reads it ([`Tx::thread_session`]):
/// its number and workspace, not the whole row (the title and the rest,
/// decoded on every reply, were a tenth of a reply's write).
pub struct ThreadSession {
    pub id: i64,
    pub workspace: Workspace,
    /// When it was last active (RFC 3339, whole seconds).
    pub active_at: String,
    /// Whether a refresh of its root message is pending.
    pub refresh_pending: bool,
    /// Whether the reply read for is stored in this session already (in
    /// the table asked about, deleted or not): a retry of its event, or the
    /// same message delivered again.
    pub captured: bool,
}

/// The columns [`session_from`] reads, from `sessions` aliased `s`.
pub(crate) const SESSION_COLUMNS: &str =
    "s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by, s.created_at, s.status, s.enterprise_id";

const SUMMARY_SELECT: &str = "SELECT s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by, s.created_at, s.status, s.enterprise_id,
        (SELECT COUNT(*) FROM drafts d WHERE d.session_id = s.id AND d.deleted_at IS NULL) AS drafts,
        (SELECT COUNT(*) FROM questions q WHERE q.session_id = s.id AND q.deleted_at IS NULL) AS questions,
        (SELECT dc.outcome FROM decisions dc WHERE dc.session_id = s.id ORDER BY dc.id DESC LIMIT 1) AS outcome
   FROM sessions s";

pub(crate) fn session_from(r: &Row<'_, '_>) -> StoreResult<Session> {
    Ok(Session {
        id: r.int("id")?,
        title: r.text("title")?,
        team_id: r.text("team_id")?,
        channel_id: r.text("channel_id")?,
        thread_ts: r.text("thread_ts")?,
        created_by: r.text("created_by")?,
        created_at: r.text("created_at")?,
        status: Status::parse(&r.text("status")?),
        enterprise_id: r.opt_text("enterprise_id")?,
    })
}

fn summary_from(r: &Row<'_, '_>) -> StoreResult<SessionSummary> {
    Ok(SessionSummary {
        session: session_from(r)?,
        drafts: r.int("drafts")?,
        questions: r.int("questions")?,
        decision: r.opt_text("outcome")?.as_deref().and_then(Outcome::parse),
    })
}

impl Tx<'_> {
    /// Reserves the next session number (for a root message posted before its
    /// session is stored): a reserved number is never handed out again,
    /// whether or not it is used. SQLite: `sessions`' own AUTOINCREMENT
    /// counter in `sqlite_sequence`, which SQLite lets us update (one writer
    /// at a time). PostgreSQL: the identity column's sequence, which replicas
    /// share.
    pub fn reserve_session_id(&mut self) -> StoreResult<i64> {
        if self.dialect() == Dialect::Postgres {
            return self.int(
                "SELECT nextval(pg_get_serial_sequence('sessions', 'id'))",
                &[],
            );
        }
        // The next number after one this transaction reserved: set only if
        // the counter still holds it (a rolled-back group leaves it lower),
        // with no RETURNING, which costs SQLite a temporary table per row.
        if let Some(last) = self.session_seq {
            let set = self.exec(
                "UPDATE sqlite_sequence SET seq = $1 WHERE name = 'sessions' AND seq = $2",
                args![last + 1, last],
            )?;
            if set == 1 {
                self.session_seq = Some(last + 1);
                return Ok(last + 1);
            }
        }
        let bumped = self.exec(
            "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'sessions'",
            &[],
        )?;
        let number = if bumped == 1 {
            self.int(
                "SELECT seq FROM sqlite_sequence WHERE name = 'sessions'",
                &[],
            )?
        } else {
            // No session was ever stored: the counter starts now.
            self.exec(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('sessions', 1)",
                &[],
            )?;
            1
        };
        self.session_seq = Some(number);
        Ok(number)
    }

    /// Stores a session whose root message Slack has accepted, under its
    /// reserved number (or the next one). Idempotent: a replayed job returns
    /// the row stored first, whether it meets it by number or by root ts.
    pub fn insert_session(&mut self, id: Option<i64>, new: &NewSession) -> StoreResult<Session> {
        let now = self.now_text();
        let id = match id {
            Some(id) => id,
            // A number of its own, as a reserved one would be.
            None => self.reserve_session_id()?,
        };
        // The hot path (every new session): a plain insert, the row built
        // from what was written; a replay finds the row stored before.
        let inserted = self.exec(
            "INSERT INTO sessions (id, team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at, enterprise_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
             ON CONFLICT DO NOTHING",
            args![
                id,
                &new.team_id,
                &new.channel_id,
                &new.thread_ts,
                new.title.as_str(),
                &new.created_by,
                &now,
                &new.enterprise_id
            ],
        )?;
        if inserted == 1 {
            return Ok(Session {
                id,
                title: new.title.as_str().to_string(),
                team_id: new.team_id.clone(),
                channel_id: new.channel_id.clone(),
                thread_ts: new.thread_ts.clone(),
                created_by: new.created_by.clone(),
                created_at: now,
                status: Status::Drafting,
                enterprise_id: new.enterprise_id.clone(),
            });
        }
        match self.session(id)? {
            Some(stored) => Ok(stored),
            None => self
                .session_by_thread(&new.channel_id, &new.thread_ts)?
                .ok_or_else(|| {
                    super::error::StoreError::internal(format!(
                        "session {id} neither stored nor found"
                    ))
                }),
        }
    }

    pub fn session(&mut self, id: i64) -> StoreResult<Option<Session>> {
        self.row(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.id = $1"),
            args![id],
            session_from,
        )
    }

    /// The session whose root message is `thread_ts` in `channel_id`, as
    /// reply `reply_ts` in its thread needs it: with when it was last
    /// active, whether a refresh of its root is pending and whether that
    /// reply is stored already (`kept_in` the table its kind is kept in),
    /// read in the same statement (a busy thread's replies mostly find it
    /// touched this second and a refresh queued: two statements each that
    /// would change nothing).
    pub fn thread_session(
        &mut self,
        channel_id: &str,
        thread_ts: &str,
        reply_ts: &str,
        kept_in: KeptIn,
    ) -> StoreResult<Option<ThreadSession>> {
        self.row(
            kept_in.statement(),
            // Numbered as they first appear: SQLite binds by that order.
            args![reply_ts, channel_id, thread_ts],
            |r| {
                Ok(ThreadSession {
                    id: r.int("id")?,
                    workspace: Workspace::new(r.text("team_id")?, r.opt_text("enterprise_id")?),
                    active_at: r.text("active_at")?,
                    refresh_pending: r.flag("refresh_pending")?,
                    captured: r.flag("captured")?,
                })
            },
        )
    }

    /// The session whose root message is `thread_ts` in `channel_id`.
    pub fn session_by_thread(
        &mut self,
        channel_id: &str,
        thread_ts: &str,
    ) -> StoreResult<Option<Session>> {
        self.row(
            &format!(
                "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.channel_id = $1 AND s.thread_ts = $2"
            ),
            args![channel_id, thread_ts],
            session_from,
        )
    }

    /// The channel's most recently active session.
    pub fn latest_session_in_channel(
        &mut self,
        team_id: &str,
        channel_id: &str,
    ) -> StoreResult<Option<Session>> {
        self.row(
            &format!(
                "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.team_id = $1 AND s.channel_id = $2
                  ORDER BY s.last_activity_at DESC, s.id DESC LIMIT 1"
            ),
            args![team_id, channel_id],
            session_from,
        )
    }

    /// Marks the session as active now (it becomes the channel's current
    /// one), unless `active_at` (when it was, as read in this transaction)
    /// is this second already.
    pub fn touch_session_since(&mut self, id: i64, active_at: &str) -> StoreResult<()> {
        if *active_at < *self.now_text() {
            self.touch_session(id)?;
        }
        Ok(())
    }

    /// Marks the session as active now (it becomes the channel's current one).
    pub fn touch_session(&mut self, id: i64) -> StoreResult<()> {
        let now = self.now_text();
        // A busy thread touches its session many times a second: only a later
        // time is written (no row or index change otherwise).
        self.exec(
            "UPDATE sessions SET last_activity_at = $1 WHERE id = $2 AND last_activity_at < $1",
            args![&now, id],
        )?;
        Ok(())
    }

    /// Every session with counts, oldest first.
    pub fn list_sessions(&mut self) -> StoreResult<Vec<SessionSummary>> {
        self.rows(
            &format!("{SUMMARY_SELECT} ORDER BY s.id"),
            &[],
            summary_from,
        )
    }

    /// A channel's sessions with counts, newest activity first, at most `limit`.
    pub fn channel_sessions(
        &mut self,
        team_id: &str,
        channel_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<SessionSummary>> {
        self.rows(
            &format!(
                "{SUMMARY_SELECT} WHERE s.team_id = $1 AND s.channel_id = $2
                  ORDER BY s.last_activity_at DESC, s.id DESC LIMIT $3"
            ),
            args![team_id, channel_id, limit],
            summary_from,
        )
    }

    /// A team's sessions with counts, newest activity first, at most `limit`.
    pub fn team_sessions(&mut self, team_id: &str, limit: i64) -> StoreResult<Vec<SessionSummary>> {
        self.rows(
            &format!(
                "{SUMMARY_SELECT} WHERE s.team_id = $1 ORDER BY s.last_activity_at DESC, s.id DESC LIMIT $2"
            ),
            args![team_id, limit],
            summary_from,
        )
    }

    pub fn session_summary(&mut self, id: i64) -> StoreResult<Option<SessionSummary>> {
        self.row(
            &format!("{SUMMARY_SELECT} WHERE s.id = $1"),
            args![id],
            summary_from,
        )
    }

    /// The thread's permalink (`chat.getPermalink`), cached on the session:
    /// a thread's link never changes.
    pub fn session_permalink(&mut self, id: i64) -> StoreResult<Option<String>> {
        Ok(self
            .row(
                "SELECT permalink FROM sessions WHERE id = $1",
                args![id],
                |r| r.opt_text("permalink"),
            )?
            .flatten())
    }

    pub fn set_session_permalink(&mut self, id: i64, link: &str) -> StoreResult<()> {
        self.exec(
            "UPDATE sessions SET permalink = $1 WHERE id = $2",
            args![link, id],
        )?;
        Ok(())
    }

    /// Moves a session to `status` (SPEC §5.1's transitions are the use
    /// cases' to choose).
    pub fn set_session_status(&mut self, id: i64, status: Status) -> StoreResult<()> {
        self.exec(
            "UPDATE sessions SET status = $1 WHERE id = $2",
            args![status.as_str(), id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;

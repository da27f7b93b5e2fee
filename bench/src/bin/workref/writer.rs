//! The one writer thread of `workref`: owns the only SQLite connection (WAL,
//! synchronous=NORMAL) and group-commits: it takes every write queued while
//! the previous transaction ran, runs them in one transaction, and answers each
//! only after COMMIT returned.

use std::sync::mpsc;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::oneshot;

/// Most writes in one transaction.
const MAX_GROUP: usize = 4096;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id    TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts  TEXT,                -- the root message's ts, recorded after the post
    title      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (channel_id, thread_ts)
);
CREATE TABLE IF NOT EXISTS questions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    question   TEXT NOT NULL,
    asked_by   TEXT NOT NULL,
    asked_at   INTEGER NOT NULL,
    message_ts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_by_session ON questions (session_id);
CREATE INDEX IF NOT EXISTS questions_by_message ON questions (message_ts);
";

/// One write. Those with a `reply` are answered after their transaction commits.
pub enum Op {
    /// A new session; answers its number.
    StartSession {
        team: String,
        channel: String,
        user: String,
        title: String,
        reply: oneshot::Sender<Result<i64, String>>,
    },
    /// The root message was posted: its ts. Nobody waits for this one.
    RecordTs { session: i64, ts: String },
    /// A question in a thread; answers whether the thread is a session's.
    Question {
        channel: String,
        thread_ts: String,
        ts: String,
        user: String,
        text: String,
        reply: oneshot::Sender<Result<bool, String>>,
    },
}

/// Where the handlers queue their writes.
pub type Writes = mpsc::Sender<Op>;

/// Opens the database (creating the tables) and starts the writer thread.
pub fn start(path: &str) -> Result<Writes, String> {
    let conn = Connection::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| format!("journal_mode: {e}"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("{path}: journal mode is {mode}, not WAL"));
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
        .and_then(|()| conn.execute_batch(SCHEMA))
        .map_err(|e| format!("schema: {e}"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("writer".into())
        .spawn(move || run(conn, rx))
        .map_err(|e| format!("cannot start the writer thread: {e}"))?;
    Ok(tx)
}

fn now() -> i64 {
    wb_bench::unix_now()
}

/// What to send once the transaction is over.
enum Answer {
    Session(oneshot::Sender<Result<i64, String>>, Result<i64, String>),
    Question(oneshot::Sender<Result<bool, String>>, Result<bool, String>),
}

impl Answer {
    /// Replaces a success with `err` (the COMMIT failed, so nothing was stored).
    fn fail(self, err: &str) -> Self {
        match self {
            Answer::Session(tx, _) => Answer::Session(tx, Err(err.to_string())),
            Answer::Question(tx, _) => Answer::Question(tx, Err(err.to_string())),
        }
    }

    fn send(self) {
        // A handler that went away (its client hung up) needs no answer.
        match self {
            Answer::Session(tx, r) => drop(tx.send(r)),
            Answer::Question(tx, r) => drop(tx.send(r)),
        }
    }
}

fn apply(conn: &Connection, op: Op) -> Option<Answer> {
    let text = |e: rusqlite::Error| e.to_string();
    match op {
        Op::StartSession {
            team,
            channel,
            user,
            title,
            reply,
        } => {
            let result = conn
                .prepare_cached(
                    "INSERT INTO sessions (team_id, channel_id, title, created_by, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut st| st.execute(params![team, channel, title, user, now()]))
                .map(|_| conn.last_insert_rowid())
                .map_err(text);
            Some(Answer::Session(reply, result))
        }
        Op::RecordTs { session, ts } => {
            let result = conn
                .prepare_cached("UPDATE sessions SET thread_ts = ?1 WHERE id = ?2")
                .and_then(|mut st| st.execute(params![ts, session]));
            if let Err(e) = result {
                eprintln!("workref: recording the ts of session {session}: {e}");
            }
            None
        }
        Op::Question {
            channel,
            thread_ts,
            ts,
            user,
            text: question,
            reply,
        } => {
            let result = (|| {
                let session: Option<i64> = conn
                    .prepare_cached(
                        "SELECT id FROM sessions WHERE channel_id = ?1 AND thread_ts = ?2",
                    )?
                    .query_row(params![channel, thread_ts], |r| r.get(0))
                    .optional()?;
                let Some(session) = session else {
                    return Ok(false);
                };
                conn.prepare_cached(
                    "INSERT INTO questions (session_id, question, asked_by, asked_at, message_ts) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![session, question, user, now(), ts])?;
                Ok(true)
            })()
            .map_err(text);
            Some(Answer::Question(reply, result))
        }
    }
}

fn run(conn: Connection, rx: mpsc::Receiver<Op>) {
    let mut answers = Vec::new();
    while let Ok(first) = rx.recv() {
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            eprintln!("workref: BEGIN: {e}");
        }
        answers.extend(apply(&conn, first));
        let mut taken = 1;
        while taken < MAX_GROUP {
            let Ok(op) = rx.try_recv() else { break };
            answers.extend(apply(&conn, op));
            taken += 1;
        }
        // A failed statement undoes only itself; the others commit together.
        match conn.execute_batch("COMMIT") {
            Ok(()) => answers.drain(..).for_each(Answer::send),
            Err(e) => {
                let err = format!("COMMIT: {e}");
                eprintln!("workref: {err}");
                let _ = conn.execute_batch("ROLLBACK");
                answers.drain(..).for_each(|a| a.fail(&err).send());
            }
        }
    }
}

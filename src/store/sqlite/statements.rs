//! Prepared statements kept by where their SQL text lives. rusqlite's own
//! cache (`prepare_cached`) keys statements by their text: each use trims
//! the text, hashes it twice with SipHash (taking the statement out and
//! putting it back), copies it into a fresh `Arc<str>` and compares it —
//! about 2,500 instructions for a 250-byte insert, several times per write
//! (bench/README.md, eighth round). Almost every statement's text is a
//! literal, at the same address every time: here a statement is found by
//! that address and length, and its text compared once to make sure.
//!
//! A text seen at an address for the first time goes through rusqlite's
//! cache, as before; only one met a second time at the same address gets a
//! statement of its own here. A text built on each call (`format!`) that
//! lands somewhere new each time so costs what it did, plus a note; one the
//! allocator puts back at the same place is kept like a literal. Both maps
//! are bounded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{Deref, DerefMut};

use rusqlite::{CachedStatement, Connection, PrepFlags, Statement};

/// Statements kept per connection at most.
const KEPT: usize = 128;
/// Texts noted (seen once at their address) at most; then the notes start over.
const NOTED: usize = 256;

/// Where a statement's text lives: its address and length.
type Place = (usize, usize);

/// The statements of one connection, found by where their text lives.
#[derive(Default)]
pub struct Statements<'c> {
    kept: HashMap<Place, Kept<'c>, BuildHasherDefault<PlaceHasher>>,
    noted: HashMap<Place, Box<str>, BuildHasherDefault<PlaceHasher>>,
}

struct Kept<'c> {
    sql: Box<str>,
    statement: Statement<'c>,
}

/// A statement ready to bind and run: one kept here, or rusqlite's.
pub enum Prepared<'s, 'c> {
    Kept(&'s mut Statement<'c>),
    Cached(CachedStatement<'c>),
}

impl<'c> Deref for Prepared<'_, 'c> {
    type Target = Statement<'c>;

    fn deref(&self) -> &Statement<'c> {
        match self {
            Prepared::Kept(s) => s,
            Prepared::Cached(s) => s,
        }
    }
}

impl DerefMut for Prepared<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Prepared::Kept(s) => s,
            Prepared::Cached(s) => s,
        }
    }
}

impl<'c> Statements<'c> {
    /// The statement for `sql` on `conn` (the connection these statements
    /// belong to). Every run binds all its parameters and resets it after,
    /// so a kept statement needs nothing cleared between uses.
    pub fn prepare<'s>(
        &'s mut self,
        conn: &'c Connection,
        sql: &str,
    ) -> rusqlite::Result<Prepared<'s, 'c>> {
        let place = (sql.as_ptr() as usize, sql.len());
        let found = self.kept.get(&place).is_some_and(|k| *k.sql == *sql);
        if !found {
            if self.noted.get(&place).is_none_or(|noted| **noted != *sql) {
                if self.noted.len() >= NOTED {
                    self.noted.clear();
                }
                self.noted.insert(place, sql.into());
                return conn.prepare_cached(sql).map(Prepared::Cached);
            }
            // Seen here before: this text is worth a statement of its own.
            if self.kept.len() >= KEPT && !self.kept.contains_key(&place) {
                return conn.prepare_cached(sql).map(Prepared::Cached);
            }
            let statement = conn.prepare_with_flags(sql, PrepFlags::SQLITE_PREPARE_PERSISTENT)?;
            self.noted.remove(&place);
            self.kept.insert(
                place,
                Kept {
                    sql: sql.into(),
                    statement,
                },
            );
        }
        match self.kept.get_mut(&place) {
            Some(kept) => Ok(Prepared::Kept(&mut kept.statement)),
            None => conn.prepare_cached(sql).map(Prepared::Cached),
        }
    }

    /// How many statements are kept (tests).
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.kept.len()
    }
}

/// Hashes a [`Place`] (two words) with a multiply and rotate per word
/// (FxHash's step): the key is an address, not input anyone chooses.
#[derive(Default)]
pub struct PlaceHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for PlaceHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(SEED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count<'c>(conn: &'c Connection, statements: &mut Statements<'c>, sql: &str) -> i64 {
        let mut s = statements.prepare(conn, sql).expect("prepare");
        s.query_row([], |r| r.get(0)).expect("row")
    }

    #[test]
    fn a_literal_is_kept_from_its_second_use_and_text_decides_what_runs() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3);")
            .expect("schema");
        let mut statements = Statements::default();
        let literal = "SELECT COUNT(*) FROM t";
        assert_eq!(count(&conn, &mut statements, literal), 3);
        assert_eq!(statements.kept(), 0, "seen once: rusqlite's cache");
        assert_eq!(count(&conn, &mut statements, literal), 3);
        assert_eq!(statements.kept(), 1, "seen twice at one place: kept");
        assert_eq!(count(&conn, &mut statements, literal), 3);
        assert_eq!(statements.kept(), 1);

        // Other text at a place once kept runs as itself, never as the
        // statement kept there.
        let mut text = String::from("SELECT COUNT(*) FROM t WHERE v > 1");
        for expected in [2, 2, 2] {
            assert_eq!(count(&conn, &mut statements, &text), expected);
        }
        text.replace_range(text.len() - 1.., "2");
        assert_eq!(count(&conn, &mut statements, &text), 1);
        assert_eq!(count(&conn, &mut statements, &text), 1);
        text.replace_range(text.len() - 1.., "0");
        assert_eq!(count(&conn, &mut statements, &text), 3);
    }

    #[test]
    fn a_statement_runs_again_after_an_error_and_after_rows_left_unread() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .expect("schema");
        let mut statements = Statements::default();
        let insert = "INSERT INTO t (v) VALUES ($1)";
        for v in [1, 2] {
            let mut s = statements.prepare(&conn, insert).expect("prepare");
            assert_eq!(s.execute([v]).expect("insert"), 1);
        }
        {
            let mut s = statements.prepare(&conn, insert).expect("prepare");
            assert!(s.execute([1]).is_err(), "a duplicate is refused");
        }
        let mut s = statements.prepare(&conn, insert).expect("prepare");
        assert_eq!(s.execute([3]).expect("insert after an error"), 1);
        drop(s);
        let select = "SELECT v FROM t ORDER BY v";
        for _ in 0..3 {
            let mut s = statements.prepare(&conn, select).expect("prepare");
            let mut rows = s.query([]).expect("query");
            let first: i64 = rows
                .next()
                .expect("step")
                .expect("a row")
                .get(0)
                .expect("v");
            assert_eq!(first, 1, "each run starts from the first row");
        }
        assert_eq!(statements.kept(), 2);
    }

    #[test]
    fn texts_built_anew_each_time_are_bounded() {
        let conn = Connection::open_in_memory().expect("db");
        let mut statements = Statements::default();
        let mut texts = Vec::new();
        for i in 0..(3 * NOTED) {
            // Kept alive, so each lives at a place of its own.
            texts.push(format!("SELECT {i}"));
            let text = texts.last().map(String::as_str).unwrap_or_default();
            assert_eq!(count(&conn, &mut statements, text), i as i64);
        }
        assert!(statements.noted.len() <= NOTED);
        assert_eq!(statements.kept(), 0);
        for text in &texts {
            let _ = count(&conn, &mut statements, text);
        }
        assert!(statements.kept() <= KEPT);
    }
}

//! Finding a SQLite row's column by name without comparing every name.
//!
//! Rows are read by column name, mostly in the order the query selects
//! them. rusqlite finds a name by comparing it with each column's name from
//! the first (each one a call into SQLite, a `strlen` and a UTF-8 check), so
//! reading a row of n columns compared about n²/2 names: 9 columns of a
//! session, read for every thread reply, cost more than the insert of its
//! question's index entries. Here the column after the last one found is
//! tried first. It is the answer when no earlier column has the same name —
//! the earlier ones are the names found so far, remembered as hashes of
//! their lowercase bytes — and otherwise rusqlite's scan decides. So the
//! answer is always rusqlite's (the first column whose name matches, ASCII
//! case-insensitively); only its cost changes.

use std::cell::Cell;

/// Columns remembered at most (wider rows fall back to the scan after these).
const TRACKED: usize = 24;

/// The lookups of one row.
pub(crate) struct Columns {
    /// How many columns, from the first, were found in order.
    next: Cell<usize>,
    /// The hashes of their names.
    seen: [Cell<u64>; TRACKED],
}

impl Columns {
    pub(crate) fn new() -> Self {
        Self {
            next: Cell::new(0),
            seen: std::array::from_fn(|_| Cell::new(0)),
        }
    }

    /// The index of the first column named `name` in `row`.
    pub(crate) fn index(&self, row: &rusqlite::Row<'_>, name: &str) -> rusqlite::Result<usize> {
        let statement = row.as_ref();
        let k = self.next.get();
        if k < TRACKED && k < statement.column_count() {
            if let Ok(at_k) = statement.column_name(k) {
                if at_k.as_bytes().eq_ignore_ascii_case(name.as_bytes()) {
                    let hash = folded_hash(name);
                    if self.seen[..k].iter().all(|h| h.get() != hash) {
                        self.seen[k].set(hash);
                        self.next.set(k + 1);
                        return Ok(k);
                    }
                }
            }
        }
        statement.column_index(name)
    }
}

/// FNV-1a of `name`'s ASCII-lowercase bytes (equal names, equal hashes).
fn folded_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lookup, in the order given, against rusqlite's own answer.
    fn check(select: &str, lookups: &[&str]) {
        let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
        let mut statement = conn.prepare(select).expect("prepare");
        let mut rows = statement.query([]).expect("query");
        let row = rows.next().expect("step").expect("a row");
        let columns = Columns::new();
        for name in lookups {
            let ours = columns.index(row, name).ok();
            let theirs = row.as_ref().column_index(name).ok();
            assert_eq!(ours, theirs, "{select}: {name} after {lookups:?}");
        }
    }

    #[test]
    fn lookups_answer_what_rusqlite_answers() {
        let cases: &[(&str, &[&str])] = &[
            // In order, out of order, twice, in another case, missing.
            ("SELECT 1 AS a, 2 AS b, 3 AS c", &["a", "b", "c"]),
            ("SELECT 1 AS a, 2 AS b, 3 AS c", &["c", "a", "b", "c"]),
            ("SELECT 1 AS a, 2 AS b, 3 AS c", &["a", "a", "b", "B", "C"]),
            ("SELECT 1 AS a, 2 AS b", &["a", "x", "b"]),
            // A repeated name is always its first column.
            ("SELECT 1 AS id, 2 AS id, 3 AS n", &["id", "id", "n"]),
            ("SELECT 1 AS id, 2 AS ID, 3 AS n", &["id", "Id", "n", "id"]),
            ("SELECT 1 AS x, 2 AS id, 3 AS id", &["x", "id", "id"]),
        ];
        for (select, lookups) in cases {
            check(select, lookups);
        }
        // Read in order, each column is found where it was looked first.
        let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
        let mut statement = conn
            .prepare("SELECT 1 AS a, 2 AS b, 3 AS c")
            .expect("prepare");
        let mut rows = statement.query([]).expect("query");
        let row = rows.next().expect("step").expect("a row");
        let columns = Columns::new();
        for name in ["a", "b", "c"] {
            columns.index(row, name).expect("found");
        }
        assert_eq!(columns.next.get(), 3);
        // Wider than the columns remembered.
        let wide: Vec<String> = (0..TRACKED + 6).map(|i| format!("{i} AS c{i}")).collect();
        let names: Vec<String> = (0..TRACKED + 6).map(|i| format!("c{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        check(&format!("SELECT {}", wide.join(", ")), &names);
    }
}

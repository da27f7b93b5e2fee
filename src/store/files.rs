//! Files attached to captured thread messages (`message_files`): names and
//! permalinks by message, whatever the message became (question, draft, entry).

use std::collections::HashMap;

use super::db::{args, Tx};
use super::error::StoreResult;
use crate::domain::docset::AttachedFile;

impl Tx<'_> {
    /// The files of message `ts` in session `session_id`, in Slack's order.
    pub fn message_files(&mut self, session_id: i64, ts: &str) -> StoreResult<Vec<AttachedFile>> {
        self.rows(
            "SELECT file_id, name, permalink FROM message_files
              WHERE session_id = $1 AND message_ts = $2 ORDER BY position",
            args![session_id, ts],
            |r| {
                Ok(AttachedFile {
                    id: r.text("file_id")?,
                    name: r.text("name")?,
                    permalink: r.opt_text("permalink")?,
                })
            },
        )
    }

    /// Makes `files` the files of message `ts`: a new reply's, or an edited
    /// one's current list (a file removed in Slack is gone from it).
    pub fn set_message_files(
        &mut self,
        session_id: i64,
        ts: &str,
        files: &[AttachedFile],
    ) -> StoreResult<()> {
        self.exec(
            "DELETE FROM message_files WHERE session_id = $1 AND message_ts = $2",
            args![session_id, ts],
        )?;
        for (position, file) in (0_i64..).zip(files) {
            self.exec(
                "INSERT INTO message_files (session_id, message_ts, position, file_id, name, permalink)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                args![
                    session_id,
                    ts,
                    position,
                    &file.id,
                    &file.name,
                    &file.permalink
                ],
            )?;
        }
        Ok(())
    }

    /// Every file of a session's messages, by message ts (one query for the
    /// whole doc set).
    pub fn session_files(
        &mut self,
        session_id: i64,
    ) -> StoreResult<HashMap<String, Vec<AttachedFile>>> {
        let rows = self.rows(
            "SELECT message_ts, file_id, name, permalink FROM message_files
              WHERE session_id = $1 ORDER BY message_ts, position",
            args![session_id],
            |r| {
                Ok((
                    r.text("message_ts")?,
                    AttachedFile {
                        id: r.text("file_id")?,
                        name: r.text("name")?,
                        permalink: r.opt_text("permalink")?,
                    },
                ))
            },
        )?;
        let mut by_message: HashMap<String, Vec<AttachedFile>> = HashMap::new();
        for (ts, file) in rows {
            by_message.entry(ts).or_default().push(file);
        }
        Ok(by_message)
    }
}

//! Review meetings: the review row (schedule, pinned version, reading times),
//! its reviewers, its comments, and the modal submissions already acted on.

use super::db::{args, Row, Tx};
use super::error::StoreResult;
use crate::domain::review::{Comment, CommentSection, Review};

const REVIEW_COLUMNS: &str = "id, session_id, version, scheduled_at, reading_minutes, created_by,
    created_at, started_at, ends_at, ended_at, ended_by, canceled_at, reading_ts";

fn review_from(r: &Row<'_, '_>) -> StoreResult<Review> {
    Ok(Review {
        id: r.int("id")?,
        session_id: r.int("session_id")?,
        version: r.opt_int("version")?,
        scheduled_at: r.text("scheduled_at")?,
        reading_minutes: r.int("reading_minutes")?,
        created_by: r.text("created_by")?,
        created_at: r.text("created_at")?,
        started_at: r.opt_text("started_at")?,
        ends_at: r.opt_text("ends_at")?,
        ended_at: r.opt_text("ended_at")?,
        ended_by: r.opt_text("ended_by")?,
        canceled_at: r.opt_text("canceled_at")?,
        reading_ts: r.opt_text("reading_ts")?,
        reviewers: Vec::new(),
    })
}

fn comment_from(r: &Row<'_, '_>) -> StoreResult<Comment> {
    Ok(Comment {
        id: r.int("id")?,
        review_id: r.int("review_id")?,
        section: CommentSection::parse(&r.text("section")?).unwrap_or(CommentSection::General),
        text: r.text("body")?,
        author: r.text("author")?,
        created_at: r.text("created_at")?,
        late: r.flag("late")?,
    })
}

/// What scheduling a review stores.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub session_id: i64,
    pub version: Option<i64>,
    /// RFC 3339.
    pub scheduled_at: &'a str,
    pub reading_minutes: i64,
    pub created_by: &'a str,
    pub reviewers: &'a [String],
}

impl Tx<'_> {
    /// Records a modal submission (by its view id); false when it was
    /// already acted on, so a replay changes nothing.
    pub fn claim_submission(&mut self, view_key: &str) -> StoreResult<bool> {
        let now = self.now_text();
        let inserted = self.exec(
            "INSERT INTO processed_submissions (view_key, received_at) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            args![view_key, &now],
        )?;
        Ok(inserted == 1)
    }

    /// Stores a review and its reviewers; its id.
    pub fn insert_review(&mut self, new: &NewReview<'_>) -> StoreResult<i64> {
        let now = self.now_text();
        let id = self.one(
            "INSERT INTO reviews (session_id, version, scheduled_at, reading_minutes, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![
                new.session_id,
                new.version,
                new.scheduled_at,
                new.reading_minutes,
                new.created_by,
                &now
            ],
            |r| r.int("id"),
        )?;
        for (position, user) in (0_i64..).zip(new.reviewers) {
            self.exec(
                "INSERT INTO review_reviewers (review_id, user_id, position) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                args![id, user, position],
            )?;
        }
        Ok(id)
    }

    fn with_reviewers(&mut self, review: Option<Review>) -> StoreResult<Option<Review>> {
        let Some(mut review) = review else {
            return Ok(None);
        };
        review.reviewers = self.rows(
            "SELECT user_id FROM review_reviewers WHERE review_id = $1 ORDER BY position",
            args![review.id],
            |r| r.text("user_id"),
        )?;
        Ok(Some(review))
    }

    pub fn review(&mut self, id: i64) -> StoreResult<Option<Review>> {
        let found = self.row(
            &format!("SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = $1"),
            args![id],
            review_from,
        )?;
        self.with_reviewers(found)
    }

    /// The session's review that is scheduled or in silent reading.
    pub fn open_review(&mut self, session_id: i64) -> StoreResult<Option<Review>> {
        let found = self.row(
            &format!(
                "SELECT {REVIEW_COLUMNS} FROM reviews
                  WHERE session_id = $1 AND ended_at IS NULL AND canceled_at IS NULL
                  ORDER BY id DESC LIMIT 1"
            ),
            args![session_id],
            review_from,
        )?;
        self.with_reviewers(found)
    }

    /// The session's latest review that was not replaced or cancelled before
    /// it started: its reviewers are the session's current reviewers.
    pub fn current_review(&mut self, session_id: i64) -> StoreResult<Option<Review>> {
        let found = self.row(
            &format!(
                "SELECT {REVIEW_COLUMNS} FROM reviews
                  WHERE session_id = $1 AND (canceled_at IS NULL OR started_at IS NOT NULL)
                  ORDER BY id DESC LIMIT 1"
            ),
            args![session_id],
            review_from,
        )?;
        self.with_reviewers(found)
    }

    /// The version the last review before `review_id` read (what the next
    /// one compares against).
    pub fn previously_read_version(
        &mut self,
        session_id: i64,
        review_id: i64,
    ) -> StoreResult<Option<i64>> {
        Ok(self
            .row(
                "SELECT version FROM reviews
                  WHERE session_id = $1 AND id < $2 AND started_at IS NOT NULL AND version IS NOT NULL
                  ORDER BY id DESC LIMIT 1",
                args![session_id, review_id],
                |r| r.opt_int("version"),
            )?
            .flatten())
    }

    /// Retires a review that has not started (replaced by `replaced_by`, or
    /// cancelled). False when it had started or was already retired.
    pub fn cancel_review(&mut self, id: i64, replaced_by: Option<i64>) -> StoreResult<bool> {
        let now = self.now_text();
        let changed = self.exec(
            "UPDATE reviews SET canceled_at = $1, replaced_by = $2
              WHERE id = $3 AND started_at IS NULL AND canceled_at IS NULL",
            args![&now, replaced_by, id],
        )?;
        Ok(changed == 1)
    }

    /// Starts silent reading now, due to end at `ends_at`. False when it
    /// already started or was retired (a timer that ran twice, or late).
    pub fn start_review(&mut self, id: i64, ends_at: &str) -> StoreResult<bool> {
        let now = self.now_text();
        let changed = self.exec(
            "UPDATE reviews SET started_at = $1, ends_at = $2
              WHERE id = $3 AND started_at IS NULL AND canceled_at IS NULL",
            args![&now, ends_at, id],
        )?;
        Ok(changed == 1)
    }

    /// Ends silent reading now (`by`: who; `None` when the time ran out).
    /// False when it was not reading.
    pub fn end_review(&mut self, id: i64, by: Option<&str>) -> StoreResult<bool> {
        let now = self.now_text();
        let changed = self.exec(
            "UPDATE reviews SET ended_at = $1, ended_by = $2
              WHERE id = $3 AND started_at IS NOT NULL AND ended_at IS NULL",
            args![&now, by, id],
        )?;
        Ok(changed == 1)
    }

    /// Remembers the thread message that carries *Comment* and *End reading*.
    pub fn set_reading_ts(&mut self, id: i64, ts: &str) -> StoreResult<()> {
        self.exec(
            "UPDATE reviews SET reading_ts = $1 WHERE id = $2",
            args![ts, id],
        )?;
        Ok(())
    }

    /// Stores a comment verbatim; its id.
    pub fn insert_comment(
        &mut self,
        review_id: i64,
        section: CommentSection,
        text: &str,
        author: &str,
        late: bool,
    ) -> StoreResult<i64> {
        let now = self.now_text();
        self.one(
            "INSERT INTO review_comments (review_id, section, body, author, created_at, late)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            args![review_id, section.key(), text, author, &now, late],
            |r| r.int("id"),
        )
    }

    /// A review's comments in the order they were written.
    pub fn review_comments(&mut self, review_id: i64) -> StoreResult<Vec<Comment>> {
        self.rows(
            "SELECT id, review_id, section, body, author, created_at, late FROM review_comments
              WHERE review_id = $1 ORDER BY id",
            args![review_id],
            comment_from,
        )
    }

    /// One comment.
    pub fn review_comment(&mut self, id: i64) -> StoreResult<Option<Comment>> {
        self.row(
            "SELECT id, review_id, section, body, author, created_at, late FROM review_comments
              WHERE id = $1",
            args![id],
            comment_from,
        )
    }
}

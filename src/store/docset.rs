//! Reads one session's whole doc set in a handful of set-based queries (no N+1),
//! so a session with tens of thousands of entries loads in milliseconds. Run it
//! in a read: the queries see one snapshot.

use super::db::{args, Tx};
use super::error::StoreResult;
use super::questions::{state, VOTES};
use crate::domain::docset::*;
use crate::domain::family::{self, Family};
use crate::domain::faq::QuestionState;
use crate::domain::review::CommentSection;

impl Tx<'_> {
    /// The doc set of session `id`, or `None` when there is no such session.
    /// Deleted entries are left out.
    pub fn docset(&mut self, id: i64) -> StoreResult<Option<DocSet>> {
        let Some(session) = self.session(id)? else {
            return Ok(None);
        };
        let files = self.session_files(id)?;
        // A message's files, for every row that message became.
        let files_of = |ts: Option<String>| -> Vec<AttachedFile> {
            ts.and_then(|ts| files.get(&ts).cloned())
                .unwrap_or_default()
        };
        let drafts = self.rows(
            "SELECT version, author, created_at, headline, subheadline, summary, problem, solution,
                    leader_quote, getting_started, customer_quote, call_to_action, body,
                    dateline_city, launch_date, message_ts
               FROM drafts WHERE session_id = $1 AND deleted_at IS NULL ORDER BY version",
            args![id],
            |r| {
                Ok(PressRelease {
                    version: r.int("version")?,
                    author: r.text("author")?,
                    created_at: r.text("created_at")?,
                    headline: r.opt_text("headline")?,
                    subheadline: r.opt_text("subheadline")?,
                    summary: r.opt_text("summary")?,
                    problem: r.opt_text("problem")?,
                    solution: r.opt_text("solution")?,
                    leader_quote: r.opt_text("leader_quote")?,
                    getting_started: r.opt_text("getting_started")?,
                    customer_quote: r.opt_text("customer_quote")?,
                    call_to_action: r.opt_text("call_to_action")?,
                    body: r.opt_text("body")?,
                    dateline_city: r.opt_text("dateline_city")?,
                    launch_date: r.opt_text("launch_date")?,
                    files: files_of(r.opt_text("message_ts")?),
                })
            },
        )?;
        let press_release_history = drafts
            .iter()
            .map(|d| DraftMeta {
                version: d.version,
                author: d.author.clone(),
                created_at: d.created_at.clone(),
            })
            .collect();
        let press_release = drafts.into_iter().last();

        // Votes are counted on the kept question: a merged duplicate's
        // voters join its kept question's (each person once) and it shows 0.
        let faq = self.rows(
            &format!(
                "SELECT q.id, q.audience, q.question, q.asked_by, q.asked_at,
                        CASE WHEN q.state = 'merged' THEN 0 ELSE {VOTES} END AS votes,
                        a.answer, a.answered_by, a.answered_at,
                        q.state, q.owner, q.family, q.merged_into, q.message_ts
                   FROM questions q
              LEFT JOIN answers a
                      ON a.id = (SELECT MAX(a2.id) FROM answers a2 WHERE a2.question_id = q.id)
              WHERE q.session_id = $1 AND q.deleted_at IS NULL
              ORDER BY CASE q.audience WHEN 'external' THEN 0 ELSE 1 END, votes DESC, q.asked_at, q.id"
            ),
            args![id],
            |r| {
                let audience = Audience::parse(&r.text("audience")?).unwrap_or(Audience::External);
                let question = r.text("question")?;
                // Questions captured before families existed are guessed now.
                let stored = r.opt_text("family")?;
                let family = (audience == Audience::Internal).then(|| {
                    stored
                        .as_deref()
                        .and_then(Family::parse)
                        .unwrap_or_else(|| family::guess(&question))
                });
                Ok(FaqEntry {
                    id: r.int("id")?,
                    audience,
                    question,
                    asked_by: r.opt_text("asked_by")?,
                    asked_at: r.text("asked_at")?,
                    votes: r.int("votes")?,
                    answer: r.opt_text("answer")?,
                    answered_by: r.opt_text("answered_by")?,
                    answered_at: r.opt_text("answered_at")?,
                    state: state(&r.text("state")?),
                    owner: r.opt_text("owner")?,
                    family,
                    merged_into: r.opt_int("merged_into")?,
                    files: files_of(r.opt_text("message_ts")?),
                })
            },
        )?;
        let coverage = coverage_of(&faq);

        let entries = self.rows(
            "SELECT id, kind, body, author, created_at, message_ts FROM entries
              WHERE session_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
            args![id],
            |r| {
                Ok((
                    r.text("kind")?,
                    Entry {
                        id: r.int("id")?,
                        text: r.text("body")?,
                        author: r.opt_text("author")?,
                        created_at: r.text("created_at")?,
                        files: files_of(r.opt_text("message_ts")?),
                    },
                ))
            },
        )?;
        let mut customer_experience = Vec::new();
        let mut discussion = Vec::new();
        let mut user_manual = Vec::new();
        for (kind, entry) in entries {
            match kind.as_str() {
                "customer_experience" => customer_experience.push(entry),
                "discussion" => discussion.push(entry),
                other => {
                    if let Some(kind) = ManualKind::parse(other) {
                        user_manual.push(ManualEntry {
                            id: entry.id,
                            kind,
                            text: entry.text,
                            author: entry.author,
                            created_at: entry.created_at,
                            files: entry.files,
                        });
                    }
                }
            }
        }
        user_manual.sort_by_key(|m| (m.kind as u8, m.id));

        let reviews = self.review_records(id)?;
        let decisions = self.decisions(id)?;
        let decision = decisions.last().cloned();

        Ok(Some(DocSet {
            schema: SCHEMA,
            session,
            press_release,
            press_release_history,
            faq,
            customer_experience,
            user_manual,
            discussion,
            reviews,
            decisions,
            decision,
            coverage,
        }))
    }

    /// The session's reviews for the export, oldest first, without those
    /// retired before reading started; comments only once reading ended.
    fn review_records(&mut self, session_id: i64) -> StoreResult<Vec<ReviewRecord>> {
        let mut reviews = self.rows(
            "SELECT id, version, scheduled_at, reading_minutes, started_at, ended_at FROM reviews
              WHERE session_id = $1 AND (canceled_at IS NULL OR started_at IS NOT NULL)
              ORDER BY id",
            args![session_id],
            |r| {
                Ok(ReviewRecord {
                    id: r.int("id")?,
                    version: r.opt_int("version")?,
                    scheduled_at: r.text("scheduled_at")?,
                    reading_minutes: r.int("reading_minutes")?,
                    started_at: r.opt_text("started_at")?,
                    ended_at: r.opt_text("ended_at")?,
                    reviewers: Vec::new(),
                    comments: Vec::new(),
                })
            },
        )?;
        if reviews.is_empty() {
            return Ok(reviews);
        }
        let reviewers = self.rows(
            "SELECT rr.review_id, rr.user_id FROM review_reviewers rr
               JOIN reviews r ON r.id = rr.review_id
              WHERE r.session_id = $1 ORDER BY rr.review_id, rr.position",
            args![session_id],
            |r| Ok((r.int("review_id")?, r.text("user_id")?)),
        )?;
        let comments = self.rows(
            "SELECT c.id, c.review_id, c.section, c.body, c.author, c.created_at, c.late
               FROM review_comments c JOIN reviews r ON r.id = c.review_id
              WHERE r.session_id = $1 AND r.ended_at IS NOT NULL
              ORDER BY c.review_id, c.id",
            args![session_id],
            |r| {
                Ok((
                    r.int("review_id")?,
                    ReviewComment {
                        id: r.int("id")?,
                        section: CommentSection::parse(&r.text("section")?)
                            .unwrap_or(CommentSection::General),
                        text: r.text("body")?,
                        author: r.text("author")?,
                        created_at: r.text("created_at")?,
                        late: r.flag("late")?,
                    },
                ))
            },
        )?;
        for review in &mut reviews {
            review.reviewers = reviewers
                .iter()
                .filter(|(id, _)| *id == review.id)
                .map(|(_, u)| u.clone())
                .collect();
        }
        for (review_id, comment) in comments {
            if let Some(review) = reviews.iter_mut().find(|r| r.id == review_id) {
                review.comments.push(comment);
            }
        }
        Ok(reviews)
    }
}

/// Coverage over the doc set's internal, non-merged questions (the same
/// count as `Tx::coverage`, from rows already read).
fn coverage_of(faq: &[FaqEntry]) -> family::Coverage {
    let mut coverage = family::Coverage::default();
    for q in faq {
        match q.family {
            Some(f) if q.state != QuestionState::Merged => coverage.add(f, 1),
            _ => {}
        }
    }
    coverage
}

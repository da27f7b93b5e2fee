//! The Home tab's portfolio: a workspace's sessions with their stage, latest
//! version, open questions, decision and open review, in a few set-based
//! queries, and the internal FAQ's coverage of the sessions listed.

use std::collections::HashMap;

use super::db::{args, Row, Tx};
use super::error::StoreResult;
use super::sessions::session_from;
use crate::domain::portfolio::{OpenReview, Portfolio, PortfolioEntry, StageCounts};
use crate::domain::review::{Outcome, Status};

/// The portfolio row; `$1` is the viewing user.
const ENTRY_SELECT: &str = "SELECT s.id, s.title, s.team_id, s.channel_id, s.thread_ts, s.created_by,
        s.created_at, s.status, s.enterprise_id, s.last_activity_at, s.permalink,
        (SELECT MAX(d.version) FROM drafts d WHERE d.session_id = s.id AND d.deleted_at IS NULL) AS latest_version,
        (SELECT COUNT(*) FROM questions q WHERE q.session_id = s.id AND q.deleted_at IS NULL
            AND q.state IN ('open', 'needs_data')) AS open_questions,
        (SELECT dc.outcome FROM decisions dc WHERE dc.session_id = s.id ORDER BY dc.id DESC LIMIT 1) AS outcome,
        r.id AS review_id, r.scheduled_at, r.ends_at,
        CASE WHEN EXISTS (SELECT 1 FROM review_reviewers rr WHERE rr.review_id = r.id AND rr.user_id = $1)
             THEN 1 ELSE 0 END AS you_review
   FROM sessions s
   LEFT JOIN reviews r ON r.id = (SELECT MAX(r2.id) FROM reviews r2
                                   WHERE r2.session_id = s.id AND r2.ended_at IS NULL AND r2.canceled_at IS NULL)";

fn entry_from(r: &Row<'_, '_>) -> StoreResult<PortfolioEntry> {
    let review = match r.opt_int("review_id")? {
        Some(id) => Some(OpenReview {
            id,
            scheduled_at: r.text("scheduled_at")?,
            ends_at: r.opt_text("ends_at")?,
            you_review: r.flag("you_review")?,
        }),
        None => None,
    };
    Ok(PortfolioEntry {
        session: session_from(r)?,
        last_activity_at: r.text("last_activity_at")?,
        latest_version: r.opt_int("latest_version")?,
        open_questions: r.int("open_questions")?,
        permalink: r.opt_text("permalink")?,
        decision: r.opt_text("outcome")?.as_deref().and_then(Outcome::parse),
        review,
        coverage: Default::default(),
    })
}

impl Tx<'_> {
    /// `team`'s portfolio as `user` sees it: the `limit` most recently active
    /// sessions, the reviews `user` is asked to read, and the counts by stage.
    pub fn portfolio(&mut self, team: &str, user: &str, limit: i64) -> StoreResult<Portfolio> {
        let mut recent = self.rows(
            &format!(
                "{ENTRY_SELECT} WHERE s.team_id = $2 ORDER BY s.last_activity_at DESC, s.id DESC LIMIT $3"
            ),
            args![user, team, limit],
            entry_from,
        )?;
        let mut yours = self.rows(
            &format!(
                "{ENTRY_SELECT} WHERE s.team_id = $2 AND r.id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM review_reviewers rr2 WHERE rr2.review_id = r.id AND rr2.user_id = $1)
                 ORDER BY r.scheduled_at, s.id LIMIT $3"
            ),
            args![user, team, limit],
            entry_from,
        )?;
        // Coverage per session listed (one indexed read each, at most 2 × limit).
        let mut coverage = HashMap::new();
        for e in recent.iter_mut().chain(yours.iter_mut()) {
            let id = e.session.id;
            e.coverage = match coverage.get(&id) {
                Some(c) => *c,
                None => {
                    let c = self.coverage(id)?;
                    coverage.insert(id, c);
                    c
                }
            };
        }
        let mut counts = StageCounts::default();
        let grouped = self.rows(
            "SELECT status, outcome, COUNT(*) AS n FROM (
                 SELECT s.status,
                        (SELECT dc.outcome FROM decisions dc WHERE dc.session_id = s.id
                          ORDER BY dc.id DESC LIMIT 1) AS outcome
                   FROM sessions s WHERE s.team_id = $1) t
              GROUP BY status, outcome",
            args![team],
            |r| {
                Ok((
                    Status::parse(&r.text("status")?),
                    r.opt_text("outcome")?,
                    r.int("n")?,
                ))
            },
        )?;
        for (status, outcome, n) in grouped {
            match status {
                Status::Drafting => counts.drafting += n,
                Status::InReview => counts.in_review += n,
                Status::Decided => counts.decided += n,
            }
            if status == Status::Decided {
                match outcome.as_deref().and_then(Outcome::parse) {
                    Some(Outcome::Go) => counts.go += n,
                    Some(Outcome::NoGo) => counts.no_go += n,
                    _ => {}
                }
            }
        }
        Ok(Portfolio {
            recent,
            yours,
            counts,
        })
    }
}

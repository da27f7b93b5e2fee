//! Reads one session's whole doc set in a handful of set-based queries (no N+1),
//! so a session with tens of thousands of entries loads in milliseconds.

use sqlx::Row;

use super::Store;
use crate::domain::docset::*;

impl Store {
    /// The doc set of session `id`, or `None` when there is no such session.
    /// Deleted entries are left out.
    #[tracing::instrument(skip(self))]
    pub async fn docset(&self, id: i64) -> sqlx::Result<Option<DocSet>> {
        let Some(session) = self.session(id).await? else {
            return Ok(None);
        };
        let mut conn = self.pool().acquire().await?;

        let drafts = sqlx::query(
            "SELECT version, author, created_at, headline, subheadline, summary, problem, solution,
                    leader_quote, getting_started, customer_quote, call_to_action, body,
                    dateline_city, launch_date
               FROM drafts WHERE session_id = ? AND deleted_at IS NULL ORDER BY version",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let press_release_history = drafts
            .iter()
            .map(|r| {
                Ok(DraftMeta {
                    version: r.try_get("version")?,
                    author: r.try_get("author")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;
        let press_release = match drafts.last() {
            Some(r) => Some(PressRelease {
                version: r.try_get("version")?,
                author: r.try_get("author")?,
                created_at: r.try_get("created_at")?,
                headline: r.try_get("headline")?,
                subheadline: r.try_get("subheadline")?,
                summary: r.try_get("summary")?,
                problem: r.try_get("problem")?,
                solution: r.try_get("solution")?,
                leader_quote: r.try_get("leader_quote")?,
                getting_started: r.try_get("getting_started")?,
                customer_quote: r.try_get("customer_quote")?,
                call_to_action: r.try_get("call_to_action")?,
                body: r.try_get("body")?,
                dateline_city: r.try_get("dateline_city")?,
                launch_date: r.try_get("launch_date")?,
            }),
            None => None,
        };

        let faq_rows = sqlx::query(
            "SELECT q.id, q.audience, q.question, q.asked_by, q.asked_at,
                    COALESCE(v.votes, 0) AS votes, a.answer, a.answered_by, a.answered_at
               FROM questions q
               LEFT JOIN (SELECT question_id, COUNT(*) AS votes FROM question_votes GROUP BY question_id) v
                      ON v.question_id = q.id
               LEFT JOIN answers a
                      ON a.id = (SELECT MAX(a2.id) FROM answers a2 WHERE a2.question_id = q.id)
              WHERE q.session_id = ? AND q.deleted_at IS NULL
              ORDER BY CASE q.audience WHEN 'external' THEN 0 ELSE 1 END, votes DESC, q.asked_at, q.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut faq = Vec::with_capacity(faq_rows.len());
        for r in &faq_rows {
            let audience: String = r.try_get("audience")?;
            faq.push(FaqEntry {
                id: r.try_get("id")?,
                audience: Audience::parse(&audience).unwrap_or(Audience::External),
                question: r.try_get("question")?,
                asked_by: r.try_get("asked_by")?,
                asked_at: r.try_get("asked_at")?,
                votes: r.try_get("votes")?,
                answer: r.try_get("answer")?,
                answered_by: r.try_get("answered_by")?,
                answered_at: r.try_get("answered_at")?,
            });
        }

        let entry_rows = sqlx::query(
            "SELECT id, kind, body, author, created_at FROM entries
              WHERE session_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut customer_experience = Vec::new();
        let mut discussion = Vec::new();
        let mut user_manual = Vec::new();
        for r in &entry_rows {
            let kind: String = r.try_get("kind")?;
            let entry = Entry {
                id: r.try_get("id")?,
                text: r.try_get("body")?,
                author: r.try_get("author")?,
                created_at: r.try_get("created_at")?,
            };
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
                        });
                    }
                }
            }
        }
        user_manual.sort_by_key(|m| (m.kind as u8, m.id));

        Ok(Some(DocSet {
            schema: SCHEMA,
            session,
            press_release,
            press_release_history,
            faq,
            customer_experience,
            user_manual,
            discussion,
        }))
    }
}

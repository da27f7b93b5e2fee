//! The outbox row a claim (or a hand-over) yields, and what a running write
//! does with the jobs it queues ([`Queueing`], kept on its `Tx`; see
//! `store::handover`). A leaf: the transaction type holds it without
//! importing the outbox.

use std::any::Any;
use std::sync::Arc;

/// A job taken from the outbox for one attempt.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub job: String,
    pub attempts: i64,
    pub created_at: String,
    /// When an earlier attempt that may have made the job's call unheard had
    /// ended (unix ms): find out before calling again.
    pub in_doubt_since_ms: Option<i64>,
    /// The job as its write had it, for a row handed over in memory (the
    /// worker then does not parse `job` back); empty for a row claimed
    /// from the table.
    pub written: Written,
}

/// A job's value as its write had it (any job type; see
/// [`OutboxRow::written`]).
#[derive(Clone, Default)]
pub struct Written(Option<Arc<dyn Any + Send + Sync>>);

impl Written {
    pub fn new<J: Any + Send + Sync>(job: J) -> Self {
        Self(Some(Arc::new(job)))
    }

    /// The job, if it was kept and is a `J`.
    pub fn take<J: Any + Clone + Send + Sync>(&mut self) -> Option<J> {
        let kept = self.0.take()?.downcast::<J>().ok()?;
        Some(Arc::try_unwrap(kept).unwrap_or_else(|shared| (*shared).clone()))
    }
}

impl std::fmt::Debug for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Written(kept)"
        } else {
            "Written(none)"
        })
    }
}

/// What the running write does with, and did with, the jobs it queues.
#[derive(Debug, Default)]
pub struct Queueing {
    /// The worker (this process) that takes jobs due at once, and how many.
    pub(super) hand_to: Option<(String, usize)>,
    /// Jobs written claimed, to hand over after the commit.
    pub(super) handed: Vec<OutboxRow>,
    /// True once a pending job was queued.
    pub(super) pending: bool,
}

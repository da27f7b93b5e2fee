//! The outbox row a claim (or a hand-over) yields, and what a running write
//! does with the jobs it queues ([`Queueing`], kept on its `Tx`; see
//! `store::handover`). A leaf: the transaction type holds it without
//! importing the outbox.

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

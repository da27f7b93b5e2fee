//! Waiting for wb's background work: calls reaching the fake Slack, the
//! outbox draining, due jobs finishing.

use super::*;

impl TestApp {
    /// Waits (up to 15 s) until the fake received at least `n` calls of `method`.
    pub async fn wait_for_calls(&self, slack_method: &str, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let calls = self.calls(slack_method).await;
            if calls.len() >= n {
                return calls;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!(
                    "expected {n} {slack_method} call(s), got {}: {calls:?}",
                    calls.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the outbox has nothing pending.
    pub async fn settle(&self) {
        let start = Instant::now();
        while self
            .state
            .store
            .read(|tx| tx.pending_jobs())
            .await
            .unwrap_or(1)
            > 0
        {
            if start.elapsed() > Duration::from_secs(20) {
                let pending: Vec<(String, Option<String>)> = crate::testdb::query_as(
                    "SELECT job, last_error FROM outbox WHERE state = 'pending'",
                )
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default();
                panic!("outbox did not drain: {pending:?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until no job is due or running (timers due later, such as a
    /// token's refresh, may wait).
    pub async fn settle_due(&self) {
        let start = Instant::now();
        loop {
            let now = self.state.clock.unix_ms();
            let busy: i64 = crate::testdb::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND (claimed_by IS NOT NULL OR due_at_ms <= ?)",
            )
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .unwrap_or(1);
            if busy == 0 {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "due jobs did not drain"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

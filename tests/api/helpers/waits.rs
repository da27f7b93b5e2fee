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
        self.settle_due_within(0).await;
    }

    /// [`TestApp::settle_due`], also waiting for a job whose attempt failed
    /// and whose retry comes within `retry_window_ms`. The clock is read
    /// after the query: a job made due by a write that ran while the query
    /// was on its way (a job of several posts is due again at its progress
    /// write's time) is then due by it, not a moment after the `now` read
    /// before the query.
    pub async fn settle_due_within(&self, retry_window_ms: i64) {
        let start = Instant::now();
        // When the earliest pending job needs the worker: at once if
        // running, a retry `retry_window_ms` early, any other when due.
        let sql = format!(
            "SELECT COALESCE(MIN(CASE WHEN claimed_by IS NOT NULL THEN 0
                                      WHEN last_error IS NOT NULL THEN due_at_ms - {retry_window_ms}
                                      ELSE due_at_ms END), {}) FROM outbox WHERE state = 'pending'",
            i64::MAX
        );
        loop {
            let next: i64 = crate::testdb::query_scalar(&sql)
                .fetch_one(&self.pool)
                .await
                .unwrap_or(0);
            if next > self.state.clock.unix_ms() {
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

//! One root refresh of a session at a time. At most one refresh per session
//! is pending (its dedupe key), but one can be pending while another runs:
//! a decision queued during a refresh queues the next one at once. Run side
//! by side, the two could read the session in order and reach Slack out of
//! order, and the root message would keep the older state until the next
//! change. Here the later refresh waits for the earlier one's `chat.update`
//! before it reads, so the last update Slack gets shows the last state.
//! (Across replicas on PostgreSQL the same can still happen, rarely; the
//! next refresh of the session mends it.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

/// Sessions remembered before forgotten turns are cleared out.
const TIDY_FROM: usize = 64;

/// The turn of each session whose root is being refreshed.
#[derive(Default)]
pub struct RootTurns {
    turns: Mutex<HashMap<i64, Weak<TurnLock<()>>>>,
}

impl RootTurns {
    /// Waits for session `session_id`'s turn (in the order asked) and holds it
    /// until the guard is dropped.
    pub async fn take(&self, session_id: i64) -> Option<OwnedMutexGuard<()>> {
        let turn = {
            let mut turns = self.turns.lock().ok()?;
            match turns.get(&session_id).and_then(Weak::upgrade) {
                Some(turn) => turn,
                None => {
                    if turns.len() >= TIDY_FROM {
                        turns.retain(|_, t| t.strong_count() > 0);
                    }
                    let turn = Arc::new(TurnLock::new(()));
                    turns.insert(session_id, Arc::downgrade(&turn));
                    turn
                }
            }
        };
        Some(turn.lock_owned().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_later_refresh_of_a_session_waits_for_the_earlier_one_and_others_do_not() {
        let turns = Arc::new(RootTurns::default());
        let first = turns.take(1).await.expect("first turn");
        let mut waiting = tokio::spawn({
            let turns = turns.clone();
            async move { turns.take(1).await.is_some() }
        });
        // Another session's refresh goes at once.
        let other = tokio::time::timeout(Duration::from_secs(5), turns.take(2)).await;
        assert!(matches!(other, Ok(Some(_))), "session 2 is not held up");
        let early = tokio::time::timeout(Duration::from_millis(50), &mut waiting).await;
        assert!(
            early.is_err(),
            "session 1's second refresh waits for the first"
        );
        drop(first);
        let got = tokio::time::timeout(Duration::from_secs(5), waiting).await;
        assert!(
            matches!(got, Ok(Ok(true))),
            "its turn comes once the first is done"
        );
    }

    #[tokio::test]
    async fn turns_no_one_holds_are_forgotten() {
        let turns = RootTurns::default();
        for id in 0..(TIDY_FROM as i64 * 3) {
            drop(turns.take(id).await);
        }
        let kept = turns.turns.lock().map(|t| t.len()).unwrap_or(usize::MAX);
        assert!(kept <= TIDY_FROM, "{kept} turns kept");
    }
}

//! Unit tests of the jobs as data: JSON round trips (old rows included) and how failures are sorted.
use super::*;

#[test]
fn jobs_round_trip_through_json() {
    let ws = Workspace::new("T1", Some("E1".into()));
    let jobs = [
        Job::call(
            &ws,
            "reactions.add",
            json!({"channel": "C1", "name": "memo", "timestamp": "1.2"}),
        )
        .with_then(Then::QuestionMessage { question_id: 4 }),
        Job::RefreshRoot { session_id: 9 },
        Job::call(&ws, "chat.postMessage", json!({"channel": "C1"}))
            .with_then(Then::ReadingMessage { review_id: 2 }),
        Job::ReviewStart {
            review_id: 2,
            due_ms: 1_764_000_000_000,
        },
        Job::ReviewEnd {
            review_id: 2,
            due_ms: 1_764_000_000_000,
        },
        Job::ReviewNudge {
            review_id: 2,
            hours: 24,
            due_ms: 1_764_000_000_000,
        },
        Job::PublishHome {
            team_id: "T1".into(),
            user_id: "U1".into(),
            enterprise_id: None,
        },
        Job::RefreshToken {
            install: InstallKey::Enterprise("E1".into()),
            due_ms: 1_764_000_000_000,
        },
        Job::Purge {
            scope: InstallKey::Team("T1".into()),
            deleted: 40,
        },
        Job::posts(
            &ws,
            "C1",
            "1.1",
            vec![json!({"text": "a"}), json!({"text": "b"})],
            None,
        ),
        Job::post_in_thread(&ws, "C1", "1.1", "merged"),
        Job::Remind {
            session_id: 3,
            due_ms: 1_764_491_400_000,
            generation: 2,
            workspace: ws.clone(),
        },
        Job::ReminderZone {
            session_id: 3,
            generation: 2,
            user_id: "U1".into(),
            channel_id: "C1".into(),
            response_url: None,
            at_time: "09:30".into(),
            workspace: ws.clone(),
        },
    ];
    for job in jobs {
        let text = serde_json::to_string(&job).expect("json");
        assert_eq!(serde_json::from_str::<Job>(&text).expect("back"), job);
    }
}

#[test]
fn jobs_queued_before_workspaces_still_parse_and_name_none() {
    let old = [
        r#"{"kind":"call","method":"chat.postMessage","body":{"channel":"C1"}}"#,
        r#"{"kind":"posts","channel":"C1","thread_ts":"1.1","messages":[]}"#,
        r#"{"kind":"publish_home","team_id":"T1","user_id":"U1"}"#,
        // Reminder jobs of a wb before workspaces: found through their session.
        r#"{"kind":"remind","session_id":3,"due_ms":1764491400000,"generation":2}"#,
        r#"{"kind":"reminder_zone","session_id":3,"generation":2,"user_id":"U1","channel_id":"C1","at_time":"09:30"}"#,
    ];
    let got: Vec<Option<Workspace>> = old
        .iter()
        .map(|text| {
            serde_json::from_str::<Job>(text)
                .expect("parses")
                .workspace()
        })
        .collect();
    assert_eq!(
        got,
        vec![
            Some(Workspace::default()),
            Some(Workspace::default()),
            Some(Workspace::new("T1", None)),
            None,
            None,
        ]
    );
    // A job of no known workspace is written as before.
    let plain = Job::call(&Workspace::default(), "chat.update", json!({}));
    assert!(!serde_json::to_string(&plain)
        .expect("json")
        .contains("workspace"));
}

#[test]
fn only_failures_that_may_have_called_slack_leave_doubt() {
    let cases = [
        (Failure::Slack(ApiError::Unknown("timed out".into())), true),
        (
            Failure::Slack(ApiError::Transient("internal_error".into())),
            false,
        ),
        (
            Failure::Slack(ApiError::RateLimited { retry_after: None }),
            false,
        ),
        (
            Failure::Slack(ApiError::Permanent("not_in_channel".into())),
            false,
        ),
        (
            Failure::Storage(StoreError::Unavailable("disk".into())),
            true,
        ),
        (Failure::Unconfirmed(ApiError::Unknown("x".into())), true),
    ];
    for (failure, doubt) in cases {
        assert_eq!(failure.leaves_doubt(), doubt, "{failure:?}");
    }
}

#[test]
fn storage_failures_are_told_apart_from_slack_failures() {
    let db = Failure::from(StoreError::Unavailable("disk".into()));
    assert!(db.to_string().contains("database unavailable"), "{db}");
    assert!(!db.is_permanent());
    assert!(Failure::from(ApiError::Permanent("x".into())).is_permanent());
    assert!(!Failure::from(ApiError::Transient("503".into())).is_permanent());
}

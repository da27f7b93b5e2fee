//! `/wb remind now` posts the digest (nothing when nothing is open), and
//! malformed `/wb remind` input is explained and changes nothing.

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn remind_now_posts_the_five_most_voted_open_questions_with_owners_and_nothing_when_all_are_answered(
) {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    for (i, text) in ["A?", "B?", "C?", "D?", "E?", "F?", "G?"]
        .iter()
        .enumerate()
    {
        reply(
            &app,
            &format!("EvR{i}"),
            &format!("1763740100.00000{i}"),
            text,
        )
        .await;
        for v in 0..i {
            reaction(
                &app,
                &format!("EvRV{i}{v}"),
                true,
                &format!("U0VOTER{v}"),
                "+1",
                &format!("1763740100.00000{i}"),
            )
            .await;
        }
    }
    // G (6 votes) is answered; F needs data and is owned by BO; E is owned by ANA.
    for sql in [
        "UPDATE questions SET state = 'answered' WHERE question = 'G?'",
        "UPDATE questions SET state = 'needs_data', owner = 'U2147483699' WHERE question = 'F?'",
        "UPDATE questions SET owner = 'U2147483698' WHERE question = 'E?'",
    ] {
        crate::testdb::query(sql)
            .execute(&app.pool)
            .await
            .expect("arrange");
    }

    let ack = app.command("remind now").await.json();

    assert_eq!(
        ack["text"],
        ":alarm_clock: Posted the 5 most-voted of 6 open questions of session #1 in its thread."
    );
    let digest = wait_for_digests(&app, 1).await.remove(0);
    let lines: Vec<&str> = digest.lines().collect();
    assert_eq!(
        lines[0],
        ":alarm_clock: *6 questions are still open* in session #1 *Smart fridge camera* — the 5 with the most votes:"
    );
    assert_eq!(
        lines[1],
        format!("1. F? — 👍 5 · <@{BO}> · :hourglass_flowing_sand: Needs data")
    );
    assert_eq!(lines[2], format!("2. E? — 👍 4 · <@{ANA}>"));
    assert_eq!(lines[3], "3. D? — 👍 3 · _no owner yet_");
    assert_eq!(lines[5], "5. B? — 👍 1 · _no owner yet_");
    assert!(!digest.contains("G?") && !digest.contains("A?"), "{digest}");
    app.settle().await;

    crate::testdb::query(
        "UPDATE questions SET state = 'answered' WHERE state <> 'answered' AND question <> 'A?'",
    )
    .execute(&app.pool)
    .await
    .expect("answer all");
    crate::testdb::query("UPDATE questions SET state = 'wont_answer' WHERE question = 'A?'")
        .execute(&app.pool)
        .await
        .expect("close the last");
    let posts = app.calls("chat.postMessage").await.len();
    let ack = app.command("remind now").await.json();

    assert!(
        ack["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Nothing is open in session #1"),
        "{ack}"
    );
    app.settle().await;
    assert_eq!(
        app.calls("chat.postMessage").await.len(),
        posts,
        "nothing posted"
    );
}

#[tokio::test]
async fn malformed_reminders_are_explained_and_change_nothing() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let posts = app.calls("chat.postMessage").await.len();

    for (text, says) in [
        (
            "remind daily 25:00",
            "`25:00` is not a time of day: hours go from 00 to 23",
        ),
        ("remind daily 9.30", "`9.30` is not a time of day"),
        ("remind daily", "`daily` needs a time"),
        ("remind weekly", "`weekly` is not a reminder wb knows"),
        ("remind 99 now", "There is no session #99"),
        ("remind 99 daily 09:00", "There is no session #99"),
    ] {
        let ack = app.command(text).await.json();
        let reply = ack["text"].as_str().unwrap_or_default();
        assert_eq!(ack["response_type"], "ephemeral");
        assert!(reply.contains(says), "{text}: {reply}");
        assert!(
            reply.contains("/wb remind [ID] daily HH:MM"),
            "{text}: usage missing in {reply}"
        );
    }

    app.settle().await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM reminders").await, 0);
    assert_eq!(app.calls("chat.postMessage").await.len(), posts);
    assert!(app.calls("users.info").await.is_empty());
    let status = app.command("remind").await.json();
    assert!(
        status["text"]
            .as_str()
            .unwrap_or_default()
            .contains("has no daily reminder"),
        "{status}"
    );
}

//! The export's fixture: a session with every kind of content (meeting,
//! files, triage) inserted straight into the store.

use super::*;

/// Inserts a session with every kind of content straight into the store (the
/// capture features are built elsewhere) and returns its id.
pub(crate) async fn seed_fixture(app: &TestApp) -> i64 {
    let pool = &app.pool;
    let session: i64 = crate::testdb::query_scalar(
        "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
         VALUES (?, ?, '1763000000.000001', 'Smart fridge camera 🧊 &amp; friends', 'U0ADA', '2026-11-21T09:00:00Z', '2026-11-21T11:00:00Z')
         RETURNING id",
    )
    .bind(TEAM)
    .bind(CHANNEL)
    .fetch_one(pool)
    .await
    .expect("session");

    crate::testdb::query(
        "INSERT INTO drafts (session_id, version, author, created_at, source, body)
         VALUES (?, 1, 'U0ADA', '2026-11-21T09:10:00Z', 'thread', 'First rough idea: a camera *inside* the fridge.')",
    )
    .bind(session)
    .execute(pool)
    .await
    .expect("draft 1");
    crate::testdb::query(
        "INSERT INTO drafts (session_id, version, author, created_at, source, headline, subheadline,
                dateline_city, launch_date, summary, problem, solution, leader_quote, getting_started,
                customer_quote, call_to_action, body)
         VALUES (?, 2, 'U0BOB', '2026-11-21T10:00:00Z', 'modal', ?, ?, 'Seattle', '2027-03-01', ?, ?, ?, ?, ?, NULL, ?, NULL)",
    )
    .bind(session)
    .bind("FridgeCam shows what's inside your fridge — from the shop #1")
    .bind("For busy households who hate _wasted_ food")
    .bind("Today we launch *FridgeCam* &amp; its app.\nIt costs less than a week of groceries.")
    .bind("# Not a heading\n+ not a list\n1986. Not a list either\n    not code\n===")
    .bind("Snap a photo of every shelf:\n```\nfridge.snap(&amp;shelf); // `ticks` and ``double``\n```\nThen look at it.")
    .bind("“We &lt;3 fresh food” — <@U0ADA>")
    .bind("• Plug it in\n• Open <https://example.com/app?x=1&amp;y=2|the app>\n    ◦ sign in")
    .bind("Visit <https://example.com|example.com> ~tomorrow~ today.")
    .execute(pool)
    .await
    .expect("draft 2");

    let questions = [
        // (audience, question, asked_by, asked_at, voters, answer)
        (
            "external",
            "How much does it cost?",
            Some("U0CHO"),
            "2026-11-21T10:05:00Z",
            3,
            Some((
                "$49, no subscription. See <https://example.com/pricing|pricing>.",
                "U0ADA",
                "2026-11-21T10:15:00Z",
            )),
        ),
        (
            "external",
            "<script>alert(1)</script>",
            Some("U0DAN"),
            "2026-11-21T10:06:00Z",
            1,
            None,
        ),
        (
            "external",
            "# Is this a heading?",
            None,
            "2026-11-21T10:07:00Z",
            3,
            Some(("No — *it is a question*.", "U0BOB", "2026-11-21T10:20:00Z")),
        ),
        (
            "internal",
            "What will disappoint customers? <!channel>",
            Some("U0BOB"),
            "2026-11-21T10:08:00Z",
            0,
            None,
        ),
        (
            "internal",
            "Ünïcödé &amp; emoji 🚀 — will it ship in 日本?",
            Some("U0CHO"),
            "2026-11-21T10:09:00Z",
            2,
            Some((
                "はい (yes) 👍\n&gt; quoted reply\n`code` and\n```\nblock &lt;b&gt;\n```",
                "U0DAN",
                "2026-11-21T10:30:00Z",
            )),
        ),
    ];
    for (audience, question, asked_by, asked_at, votes, answer) in questions {
        let id: i64 = crate::testdb::query_scalar(
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source)
             VALUES (?, ?, ?, ?, ?, 'thread') RETURNING id",
        )
        .bind(session)
        .bind(audience)
        .bind(question)
        .bind(asked_by)
        .bind(asked_at)
        .fetch_one(pool)
        .await
        .expect("question");
        for v in 0..votes {
            crate::testdb::query(
                "INSERT INTO question_votes (question_id, user_id, voted_at) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(format!("U0VOTER{v}"))
            .bind(asked_at)
            .execute(pool)
            .await
            .expect("vote");
        }
        if let Some((text, by, at)) = answer {
            crate::testdb::query("INSERT INTO answers (question_id, answer, answered_by, answered_at) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(text)
                .bind(by)
                .bind(at)
                .execute(pool)
                .await
                .expect("answer");
            // As the store's answer does: an answered question is `answered`.
            crate::testdb::query("UPDATE questions SET state = 'answered' WHERE id = ?")
                .bind(id)
                .execute(pool)
                .await
                .expect("state");
        }
    }
    crate::testdb::query(
        "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, deleted_at)
         VALUES (?, 'external', 'A deleted question', 'U0ADA', '2026-11-21T10:04:00Z', 'thread', '2026-11-21T10:04:30Z')",
    )
    .bind(session)
    .execute(pool)
    .await
    .expect("deleted question");

    let entries = [
        (
            "customer_experience",
            "Ada is at the shop. She opens the app and sees the *milk* is nearly gone.",
            "U0ADA",
            "2026-11-21T10:40:00Z",
            false,
        ),
        (
            "customer_experience",
            "A deleted story",
            "U0ADA",
            "2026-11-21T10:41:00Z",
            true,
        ),
        (
            "concept",
            "A *shelf* is one photo of one fridge shelf.",
            "U0BOB",
            "2026-11-21T10:42:00Z",
            false,
        ),
        (
            "howto",
            "1. Open the app\n2. Tap _Shelves_",
            "U0CHO",
            "2026-11-21T10:43:00Z",
            false,
        ),
        (
            "discussion",
            "Thanks <@U0BOB>! See <#C0OTHER|design> and <!here>",
            "U0DAN",
            "2026-11-21T10:50:00Z",
            false,
        ),
        (
            "discussion",
            "| not | a | table |\n|---|---|---|\n===",
            "U0ADA",
            "2026-11-21T10:51:00Z",
            false,
        ),
        (
            "discussion",
            "<img src=x onerror=alert(1)> [link](javascript:alert(1)) <javascript:alert(1)|click>",
            "U0BOB",
            "2026-11-21T10:52:00Z",
            false,
        ),
    ];
    for (kind, body, author, at, deleted) in entries {
        crate::testdb::query(
            "INSERT INTO entries (session_id, kind, body, author, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(session)
        .bind(kind)
        .bind(body)
        .bind(author)
        .bind(at)
        .bind(deleted.then_some(at))
        .execute(pool)
        .await
        .expect("entry");
    }
    seed_meeting(pool, session).await;
    seed_files(app, session).await;
    for (id, name) in [
        ("U0ADA", "Ada Lovelace"),
        ("U0BOB", "Bob <b>Builder</b> & Co"),
        ("U0CHO", "Chloé 🎨"),
    ] {
        app.state
            .store
            .write(move |tx| tx.save_display_name(TEAM, id, name))
            .await
            .expect("name");
    }
    session
}

/// The review meeting of the fixture: a review read with comments (one of
/// them late and hostile), one replaced before it started (left out), one
/// still in silent reading (its comment hidden), and a decision revised.
async fn seed_meeting(pool: &crate::testdb::Pool, session: i64) {
    let statements = [
        "UPDATE sessions SET status = 'in_review' WHERE id = ?1",
        "INSERT INTO reviews (session_id, version, scheduled_at, reading_minutes, created_by, created_at, started_at, ends_at, ended_at)
         VALUES (?1, 1, '2026-11-21T10:00:00Z', 20, 'U0ADA', '2026-11-21T09:30:00Z', '2026-11-21T10:00:00Z', '2026-11-21T10:20:00Z', '2026-11-21T10:20:00Z')",
        "INSERT INTO reviews (session_id, version, scheduled_at, reading_minutes, created_by, created_at, canceled_at, replaced_by)
         VALUES (?1, 2, '2026-11-22T10:00:00Z', 30, 'U0ADA', '2026-11-21T10:40:00Z', '2026-11-21T10:45:00Z', 3)",
        "INSERT INTO reviews (session_id, version, scheduled_at, reading_minutes, created_by, created_at, started_at, ends_at)
         VALUES (?1, 2, '2026-11-21T11:00:00Z', 20, 'U0ADA', '2026-11-21T10:45:00Z', '2026-11-21T11:00:00Z', '2026-11-21T11:20:00Z')",
        "INSERT INTO review_reviewers (review_id, user_id, position) VALUES (1, 'U0BOB', 0), (1, 'U0CHO', 1), (2, 'U0DAN', 0), (3, 'U0DAN', 0)",
        "INSERT INTO review_comments (review_id, section, body, author, created_at, late) VALUES
            (1, 'problem', 'Which households? <script>alert(1)</script>', 'U0BOB', '2026-11-21T10:05:00Z', 0),
            (1, 'general', '# Not a heading *bold* &amp; more', 'U0CHO', '2026-11-21T10:06:00Z', 0),
            (1, 'headline', 'Name the benefit, not the camera', 'U0CHO', '2026-11-21T10:07:00Z', 0),
            (1, 'faq', 'The price question is still unanswered', 'U0BOB', '2026-11-21T10:30:00Z', 1),
            (3, 'solution', 'This must not be exported while reading', 'U0DAN', '2026-11-21T11:05:00Z', 0)",
        "INSERT INTO decisions (session_id, outcome, rationale, next_steps, decided_by, decided_at, version, review_id)
         VALUES (?1, 'go', 'Looks good', NULL, 'U0ADA', '2026-11-21T10:30:00Z', 1, 1)",
        "INSERT INTO decisions (session_id, outcome, rationale, next_steps, decided_by, decided_at, version, review_id)
         VALUES (?1, 'iterate', 'Economics missing — <@U0BOB> to size it', 'Size the market\n• TAM\n• SAM', 'U0DAN', '2026-11-21T10:35:00Z', 1, 1)",
    ];
    for sql in statements {
        let mut query = crate::testdb::query(sql);
        if sql.contains("?1") {
            query = query.bind(session);
        }
        query
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Files attached to thread replies: the first question was asked with two
/// (one with a hostile name and link), and a file was shared with no text.
async fn seed_files(app: &TestApp, session: i64) {
    let pool = &app.pool;
    crate::testdb::query(
        "UPDATE questions SET message_ts = '1763000100.000100'
          WHERE session_id = ? AND question = 'How much does it cost?'",
    )
    .bind(session)
    .execute(pool)
    .await
    .expect("question ts");
    crate::testdb::query(
        "INSERT INTO entries (session_id, kind, body, author, created_at, message_ts)
         VALUES (?, 'discussion', '', 'U0CHO', '2026-11-21T10:53:00Z', '1763000200.000200')",
    )
    .bind(session)
    .execute(pool)
    .await
    .expect("file-only entry");
    let files = [
        (
            "1763000100.000100",
            0,
            "F0PRICE",
            "price-sheet.pdf",
            Some("https://acme.slack.com/files/U0CHO/F0PRICE/price-sheet.pdf"),
        ),
        (
            "1763000100.000100",
            1,
            "F0HOSTILE",
            "<b>mock</b> [x](y).png",
            Some("javascript:alert(1)"),
        ),
        (
            "1763000200.000200",
            0,
            "F0SHELF",
            "shelf photo.jpg",
            Some("https://acme.slack.com/files/U0CHO/F0SHELF/shelf_photo.jpg"),
        ),
    ];
    for (ts, position, id, name, permalink) in files {
        crate::testdb::query(
            "INSERT INTO message_files (session_id, message_ts, position, file_id, name, permalink)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(session)
        .bind(ts)
        .bind(position)
        .bind(id)
        .bind(name)
        .bind(permalink)
        .execute(pool)
        .await
        .expect("file");
    }
}

/// Triage on top of the fixture: an owner on a question that needs data, an
/// owner on an open internal one, and a duplicate merged into the most-voted
/// question, voted by someone who voted for that one too (counted once).
pub(crate) async fn seed_triage(app: &TestApp, session: i64) {
    let pool = &app.pool;
    for sql in [
        "UPDATE questions SET state = 'needs_data', owner = 'U0BOB' WHERE question = '<script>alert(1)</script>'",
        "UPDATE questions SET owner = 'U0ADA' WHERE question LIKE 'What will disappoint customers?%'",
    ] {
        crate::testdb::query(sql).execute(pool).await.expect("triage");
    }
    let kept: i64 = crate::testdb::query_scalar(
        "SELECT id FROM questions WHERE question = 'How much does it cost?'",
    )
    .fetch_one(pool)
    .await
    .expect("kept");
    let dup: i64 = crate::testdb::query_scalar(
        "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source, state, merged_into)
         VALUES (?, 'external', 'Price?', 'U0CHO', '2026-11-21T10:10:00Z', 'thread', 'merged', ?) RETURNING id",
    )
    .bind(session)
    .bind(kept)
    .fetch_one(pool)
    .await
    .expect("duplicate");
    crate::testdb::query("INSERT INTO question_votes (question_id, user_id, voted_at) VALUES (?, 'U0VOTER0', '2026-11-21T10:11:00Z')")
        .bind(dup)
        .execute(pool)
        .await
        .expect("vote");
}

//! The export: golden files for every format from a session with every kind of
//! content, the upload flow and the canvas against the fake Slack, and the CLI.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use wb::export::{ExportContext, ReviewItem};

use crate::helpers::*;

const PERMALINK: &str = "https://acme.slack.com/archives/C2147483705/p1763739000000100";
const UPLOAD_PATH: &str = "/upload/v1/CwABAAAAXw";
const FILE_ID: &str = "F0EXPORT01";

// ---------------------------------------------------------------- fixtures

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

fn fixture_context(app_names: &[(&str, &str)]) -> ExportContext {
    ExportContext {
        names: app_names
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        permalink: Some(PERMALINK.into()),
        exported_at: "2026-11-22T08:00:00Z".into(),
        review: vec![
            ReviewItem {
                rule: "sentence over 30 words".into(),
                severity: "warning".into(),
                quote: "Today we launch <b>FridgeCam</b>".into(),
                suggestion: "Split it in two.".into(),
            },
            ReviewItem {
                rule: "missing section".into(),
                severity: "error".into(),
                quote: String::new(),
                suggestion: "Add a customer quote.".into(),
            },
        ],
    }
}

const NAMES: [(&str, &str); 3] = [
    ("U0ADA", "Ada Lovelace"),
    ("U0BOB", "Bob <b>Builder</b> & Co"),
    ("U0CHO", "Chloé 🎨"),
];

/// Compares with tests/golden/NAME; `UPDATE_GOLDEN=1 cargo test` rewrites it.
fn golden(name: &str, actual: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(file.parent().expect("dir")).expect("golden dir");
        std::fs::write(&file, actual).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", file.display()));
    if actual != want {
        let line = actual
            .lines()
            .zip(want.lines())
            .position(|(a, w)| a != w)
            .unwrap_or_else(|| actual.lines().count().min(want.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  got:  {:?}\n  want: {:?}",
            line + 1,
            actual.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

// ---------------------------------------------------------------- the fake Slack

/// `users.info`: a user per id from `names`; anything else is `user_not_found`.
struct UsersInfo(HashMap<String, String>);

impl Respond for UsersInfo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "user")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        match self.0.get(&id) {
            Some(name) => ResponseTemplate::new(200).set_body_json(json!({
                "ok": true,
                "user": {"id": id, "name": "handle", "real_name": "Real", "profile": {"display_name": name, "real_name": "Real"}}
            })),
            None => slack_error("user_not_found"),
        }
    }
}

async fn mount_export(app: &TestApp, names: &[(&str, &str)]) {
    Mock::given(method("GET"))
        .and(path("/api/files.getUploadURLExternal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "upload_url": format!("{}{UPLOAD_PATH}", app.slack.uri()),
            "file_id": FILE_ID,
        })))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK - 1234"))
        .mount(&app.slack)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/files.completeUploadExternal"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "files": [{"id": FILE_ID, "title": "doc set"}]})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/chat.getPermalink"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "channel": CHANNEL, "permalink": PERMALINK})),
        )
        .mount(&app.slack)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/users.info"))
        .respond_with(UsersInfo(
            names
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
        .mount(&app.slack)
        .await;
}

/// Requests the fake received whose path is one of `paths`, in order.
async fn requests(app: &TestApp, paths: &[&str]) -> Vec<Request> {
    app.slack
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| paths.contains(&r.url.path()))
        .collect()
}

fn query(r: &Request, key: &str) -> Option<String> {
    r.url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn body_json(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

async fn responses(app: &TestApp) -> Vec<String> {
    app.calls("response_url")
        .await
        .iter()
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

const UPLOAD_FLOW: [&str; 3] = [
    "/api/files.getUploadURLExternal",
    UPLOAD_PATH,
    "/api/files.completeUploadExternal",
];

// ---------------------------------------------------------------- golden files

#[tokio::test]
async fn every_format_matches_its_golden_file() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    seed_triage(&app, id).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");
    let ctx = fixture_context(&NAMES);
    // The four documents, in Working Backwards order, in every text format.
    let markdown = wb::export::markdown::render(&docset, &ctx);
    let html = wb::export::html::render(&docset, &ctx);
    for text in [&markdown, &html] {
        let at: Vec<usize> = ["Press release", "FAQ", "Customer experience", "User manual"]
            .iter()
            .map(|h| text.find(h).unwrap_or_else(|| panic!("{h} missing")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "order: {at:?}");
    }
    let json: Value = serde_json::from_str(&wb::export::json::render(&docset)).expect("json");
    assert_eq!(json["schema"], "wb.docset/1");
    assert_eq!(json["session"]["id"], id);

    // A review still in silent reading shows none of its comments, anywhere.
    let json_text = wb::export::json::render(&docset);
    for text in [&markdown, &html, &json_text] {
        assert!(!text.contains("must not be exported"));
    }
    assert_eq!(json["decision"]["outcome"], "iterate");
    assert_eq!(json["decisions"][0]["outcome"], "go");
    assert_eq!(
        json["reviews"].as_array().map(Vec::len),
        Some(2),
        "the replaced review is left out"
    );

    golden("docset.md", &markdown);
    golden(
        "docset.canvas.md",
        &wb::export::markdown::render_canvas(&docset, &ctx),
    );
    golden("docset.html", &html);
    golden("docset.json", &wb::export::json::render(&docset));
}

#[tokio::test]
async fn html_shows_hostile_text_as_text_and_fetches_nothing() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let html = wb::export::html::render(&docset, &fixture_context(&NAMES));

    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Bob &lt;b&gt;Builder&lt;/b&gt; &amp; Co"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let lower = html.to_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "javascript:",
        "<b>",
        "src=\"",
        "<link",
        "@import",
        "url(",
    ] {
        // javascript: only ever appears escaped as text, never in an attribute.
        if forbidden == "javascript:" {
            assert!(!lower.contains("href=\"javascript:"), "{forbidden}");
            continue;
        }
        assert!(!lower.contains(forbidden), "found {forbidden}");
    }
    // Every <a> goes to http(s).
    for (i, _) in lower.match_indices("<a href=\"") {
        let target = &lower[i + 9..];
        assert!(
            target.starts_with("https://"),
            "{}",
            &target[..40.min(target.len())]
        );
    }
    assert!(html.contains("@page"), "print styles");
    assert!(html.contains("Content-Security-Policy"));
}

#[tokio::test]
async fn markdown_user_text_cannot_break_the_document_structure() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let md = wb::export::markdown::render(&docset, &fixture_context(&NAMES));

    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    let ours = [
        "# ",
        "## 1\\. Press release",
        "### FridgeCam",
        "## 2\\. FAQ",
        "### External FAQ",
        "#### Q",
        "### Internal FAQ",
        "#### Customer — ",
        "#### Solution — ",
        "#### Economics — ",
        "#### Risks — ",
        "##### Q",
        "## 3\\. Customer experience",
        "### Story ",
        "## 4\\. User manual",
        "### Concepts",
        "### How-to",
        "### Reference",
        "## Appendix",
        "### Draft history",
        "### Decision history",
        "#### 1. ",
        "#### 2. ",
        "### Review comments",
        "#### Review ",
        "### Bar-raiser report",
        "### Thread discussion",
    ];
    for h in &headings {
        assert!(
            ours.iter().any(|o| h.starts_with(o)),
            "unexpected heading: {h}"
        );
    }
    assert!(md.contains("#### Q2\\. \\# Is this a heading?"), "{md}");
    assert!(
        md.contains("\n\\# Not a heading\\\n\\+ not a list\\\n1986\\. Not a list either\\\nnot code\\\n\\===\n"),
        "{md}"
    );
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    // `[link](javascript:…)` typed by a user stays escaped text, never a link.
    assert!(md.contains("\\[link\\](javascript:alert(1))"));
    assert!(!md.replace("\\]", "").contains("](javascript:"));
    // Code is verbatim inside its fence.
    assert!(
        md.contains("```\nfridge.snap(&shelf); // `ticks` and ``double``\n```"),
        "{md}"
    );
    // Internal questions sit under their family (h4 → h5); the canvas stops at h3.
    let canvas = wb::export::markdown::render_canvas(&docset, &fixture_context(&NAMES));
    assert!(canvas.lines().all(|l| !l.starts_with("####")));
    assert!(canvas.contains("**Q2\\. \\# Is this a heading?**"));
}

#[tokio::test]
async fn the_faq_is_ordered_external_first_then_votes_then_age_and_deleted_rows_are_gone() {
    let app = spawn_app().await;
    let id = seed_fixture(&app).await;
    let docset = app
        .state
        .store
        .read(move |tx| tx.docset(id))
        .await
        .expect("read")
        .expect("docset");

    let order: Vec<&str> = docset.faq.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(
        order,
        vec![
            "How much does it cost?",
            "# Is this a heading?",
            "<script>alert(1)</script>",
            "Ünïcödé &amp; emoji 🚀 — will it ship in 日本?",
            "What will disappoint customers? <!channel>",
        ]
    );
    let md = wb::export::markdown::render(&docset, &fixture_context(&NAMES));
    assert!(!md.contains("deleted"), "deleted rows leaked");
    assert!(md.contains("Asked anonymously"));
    assert!(md.contains("**Open** — no answer yet"));
    assert!(md.contains("@U0DAN"), "unknown names fall back to the id");
}

// ---------------------------------------------------------------- from Slack

#[tokio::test]
async fn wb_export_uploads_markdown_into_the_thread_in_three_calls() {
    let app = spawn_app().await;
    mount_export(&app, &[(USER, "Steve")]).await;
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export").await;

    assert_eq!(answer.status, 200);
    let ack = answer.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        ack.contains("Exporting *Smart fridge camera* as Markdown"),
        "{ack}"
    );
    app.wait_for_calls("files.completeUploadExternal", 1).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    let paths: Vec<&str> = flow.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, UPLOAD_FLOW.to_vec());
    let (get, upload, complete) = (&flow[0], &flow[1], &flow[2]);
    assert_eq!(get.method.as_str(), "GET");
    assert_eq!(
        query(get, "filename").as_deref(),
        Some("smart-fridge-camera.md")
    );
    assert_eq!(query(get, "length"), Some(upload.body.len().to_string()));
    let content = String::from_utf8(upload.body.clone()).expect("utf-8");
    assert!(content.starts_with("# Smart fridge camera\n"), "{content}");
    assert!(content.contains("No press release drafted yet"));
    assert!(content.contains("**Created by:** Steve"));
    assert!(content.contains(PERMALINK));
    let done = body_json(complete);
    assert_eq!(done["files"][0]["id"], FILE_ID);
    assert_eq!(done["channel_id"], CHANNEL);
    assert_eq!(done["thread_ts"], ts.as_str());
    let told = responses(&app).await;
    let confirmation = told.last().expect("a confirmation");
    assert!(
        confirmation.contains("`smart-fridge-camera.md`"),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("Not written yet: press release"),
        "{confirmation}"
    );
    // Names and the link are cached for the next export and for the CLI.
    let cached = app
        .state
        .store
        .read(|tx| tx.display_names(TEAM, &[USER.to_string()]))
        .await
        .expect("names");
    assert_eq!(cached[USER].display_name, "Steve");
    assert_eq!(
        app.state
            .store
            .read(|tx| tx.session_permalink(1))
            .await
            .expect("link")
            .as_deref(),
        Some(PERMALINK)
    );
}

#[tokio::test]
async fn the_export_button_and_html_work_and_a_failed_name_lookup_shows_the_id() {
    let app = spawn_app().await;
    mount_export(&app, &[]).await; // users.info answers user_not_found
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export 1 html").await;

    assert_eq!(answer.status, 200);
    app.wait_for_calls("files.completeUploadExternal", 1).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    assert_eq!(
        query(&flow[0], "filename").as_deref(),
        Some("smart-fridge-camera.html")
    );
    let html = String::from_utf8(flow[1].body.clone()).expect("utf-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!("@{USER}")), "fallback to the id");
    assert_eq!(
        flow[1]
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html; charset=utf-8")
    );

    // The button on the root message exports Markdown the same way.
    let mut payload: Value = serde_json::from_str(&fixture("block_actions.json")).expect("fixture");
    payload["actions"][0]["action_id"] = json!("wb_export");
    payload["container"]["message_ts"] = json!(ts);
    payload["response_url"] = json!(format!("{}/response", app.slack.uri()));
    let answer = app.interaction(&payload).await;

    assert_eq!(answer.status, 200);
    app.wait_for_calls("files.completeUploadExternal", 2).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    assert_eq!(flow.len(), 6);
    assert_eq!(
        query(&flow[3], "filename").as_deref(),
        Some("smart-fridge-camera.md")
    );
    assert_eq!(body_json(&flow[5])["thread_ts"], ts.as_str());
}

#[tokio::test]
async fn a_failed_share_is_retried_without_uploading_twice() {
    let app = spawn_app_bare().await;
    Mock::given(method("POST"))
        .and(path("/api/files.completeUploadExternal"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.slack)
        .await;
    mount_defaults(&app.slack).await;
    mount_export(&app, &[]).await;
    app.start_session("Smart fridge camera").await;

    app.command("export").await;

    app.wait_for_calls("files.completeUploadExternal", 2).await;
    app.settle().await;
    let flow = requests(&app, &UPLOAD_FLOW).await;
    let paths: Vec<&str> = flow.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        vec![
            UPLOAD_FLOW[0],
            UPLOAD_FLOW[1],
            UPLOAD_FLOW[2],
            UPLOAD_FLOW[2]
        ]
    );
    assert_eq!(body_json(&flow[3])["files"][0]["id"], FILE_ID);
    assert_eq!(responses(&app).await.len(), 1, "one confirmation");
}

#[tokio::test]
async fn wb_export_canvas_creates_a_channel_canvas_and_links_it_in_the_thread() {
    let app = spawn_app().await;
    mount_export(&app, &[(USER, "Steve")]).await;
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": true, "canvas_id": "F0CANVAS1"})),
        )
        .mount(&app.slack)
        .await;
    let ts = app.start_session("Smart fridge camera").await;

    let answer = app.command("export canvas").await;

    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("as a canvas"), "{}", answer.body);
    let created = app.wait_for_calls("canvases.create", 1).await;
    app.settle().await;
    let body = &created[0];
    assert_eq!(body["channel_id"], CHANNEL);
    assert_eq!(body["document_content"]["type"], "markdown");
    let markdown = body["document_content"]["markdown"]
        .as_str()
        .unwrap_or_default();
    assert!(markdown.starts_with("# Smart fridge camera"));
    assert!(
        markdown.lines().all(|l| !l.starts_with("####")),
        "h1–h3 only"
    );
    let posts = app.calls("chat.postMessage").await;
    let link = posts.last().expect("thread post");
    assert_eq!(link["thread_ts"], ts.as_str());
    let text = link["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("https://acme.slack.com/docs/T0001/F0CANVAS1"),
        "{text}"
    );
    let told = responses(&app).await;
    assert!(told.last().expect("confirmation").contains("as a canvas"));
    assert!(
        requests(&app, &UPLOAD_FLOW).await.is_empty(),
        "no file upload"
    );
}

#[tokio::test]
async fn a_workspace_without_canvases_gets_a_clear_explanation() {
    let app = spawn_app().await;
    mount_export(&app, &[]).await;
    Mock::given(method("POST"))
        .and(path("/api/canvases.create"))
        .respond_with(slack_error("canvas_disabled_user_team"))
        .mount(&app.slack)
        .await;
    app.start_session("Smart fridge camera").await;
    let posts_before = app.calls("chat.postMessage").await.len();

    app.command("export canvas").await;

    app.wait_for_calls("canvases.create", 1).await;
    app.settle().await;
    let told = responses(&app).await;
    let text = told.last().expect("an explanation");
    assert!(
        text.contains("canvases aren't available in this workspace"),
        "{text}"
    );
    assert!(text.contains("/wb export md"), "{text}");
    assert_eq!(app.calls("chat.postMessage").await.len(), posts_before);
    assert_eq!(app.calls("canvases.create").await.len(), 1, "not retried");
}

#[tokio::test]
async fn exporting_an_unknown_or_absent_session_says_so() {
    let app = spawn_app().await;

    for (team, channel) in [(TEAM, "C0OTHER"), ("T0ELSE", CHANNEL)] {
        crate::testdb::query(
            "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
             VALUES (?, ?, '1.1', 'Elsewhere', 'U1', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z')",
        )
        .bind(team)
        .bind(channel)
        .execute(&app.pool)
        .await
        .expect("session");
    }

    let none = app.command("export").await.json();
    let missing = app.command("export 99 html").await.json();
    let other_channel = app.command("export 1").await.json();
    let other_team = app.command("export 2").await.json();

    let text = |v: &Value| v["text"].as_str().unwrap_or_default().to_string();
    assert!(text(&none).contains("/wb pressrelease"), "{none}");
    assert!(text(&missing).contains("no session #99"), "{missing}");
    assert!(
        text(&other_channel).contains("lives in <#C0OTHER>"),
        "{other_channel}"
    );
    assert!(text(&other_team).contains("no session #2"), "{other_team}");
    app.settle().await;
    assert!(requests(&app, &UPLOAD_FLOW).await.is_empty());
}

// ---------------------------------------------------------------- the CLI

#[tokio::test]
async fn the_cli_writes_every_format_with_cached_names() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    let out = app.dir.path().join("fridge.html");

    let html = app.wb(&[
        "export",
        "1",
        "--format",
        "html",
        "--out",
        out.to_str().expect("path"),
    ]);
    let md = app.wb(&["export", "1", "--format", "md"]);

    assert!(
        html.status.success(),
        "{}",
        String::from_utf8_lossy(&html.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("Chloé 🎨"));
    assert!(text.contains("&lt;script&gt;"));
    assert!(md.status.success());
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(
        md.starts_with("# Smart fridge camera 🧊 & friends\n"),
        "{md}"
    );
    assert!(md.contains("Asked by Chloé 🎨"));
}

#[tokio::test]
async fn the_cli_exports_all_sessions_one_file_each() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    app.start_session("Second idea").await;
    let dir = app.dir.path().join("out");

    let out = app.wb(&[
        "export",
        "--all",
        "--format",
        "json",
        "--out",
        dir.to_str().expect("path"),
    ]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec!["1-smart-fridge-camera-friends.json", "2-second-idea.json"]
    );
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("2-second-idea.json")).expect("file"),
    )
    .expect("json");
    assert_eq!(doc["schema"], "wb.docset/1");
    assert_eq!(doc["session"]["title"], "Second idea");
}

#[tokio::test]
async fn the_cli_fails_clearly_on_bad_ids_and_paths() {
    let app = spawn_app().await;
    seed_fixture(&app).await;
    let file = app.dir.path().join("a-file");
    std::fs::write(&file, "x").expect("file");
    let unwritable = app.dir.path().join("no/such/dir/x.md");

    let unknown = app.wb(&["export", "42", "--format", "md"]);
    let bad_path = app.wb(&[
        "export",
        "1",
        "--format",
        "md",
        "--out",
        unwritable.to_str().expect("p"),
    ]);
    let no_dir = app.wb(&["export", "--all", "--format", "json"]);
    let file_as_dir = app.wb(&[
        "export",
        "--all",
        "--format",
        "json",
        "--out",
        file.to_str().expect("p"),
    ]);
    let no_id = app.wb(&["export", "--format", "md"]);

    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no session 42"));
    assert_eq!(bad_path.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_path.stderr).contains("cannot write"));
    assert!(bad_path.stdout.is_empty());
    assert_eq!(no_dir.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("--out DIR"));
    assert_eq!(file_as_dir.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&file_as_dir.stderr).contains("is a file"));
    assert_eq!(no_id.status.code(), Some(2));
}

#[tokio::test]
async fn the_export_appendix_carries_the_bar_raisers_report_on_the_latest_draft() {
    let app = spawn_app().await;
    let root = app.start_session("Reviewed idea").await;
    let reply = envelope(
        "EvReview1",
        serde_json::json!({"type": "message", "user": USER, "text": "PR: Our seamless fridge is very robust.",
               "ts": "1763740200.000001", "thread_ts": root, "channel": CHANNEL}),
    );
    assert_eq!(app.event(&reply).await.status, 200);
    app.settle().await;

    let out = app.wb(&["export", "1", "--format", "md"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8_lossy(&out.stdout);
    let appendix = md
        .split("Bar-raiser report")
        .nth(1)
        .expect("a bar-raiser section");
    assert!(appendix.contains("seamless"), "{appendix}");
}

//! `cargo bench --bench export`: builds a session with 10,000 questions, 200
//! press-release versions and 5,000 discussion messages in a temporary SQLite
//! database, then times loading the doc set and rendering each format.
//! No harness: it prints a table (median and worst of the runs).

use std::time::{Duration, Instant};

use wb::export::{self, ExportContext, ReviewItem};
use wb::store::Store;

const QUESTIONS: usize = 10_000;
const DRAFTS: usize = 200;
const MESSAGES: usize = 5_000;
const RUNS: usize = 15;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url, wb::clock::Clock::system()).await?;
    let started = Instant::now();
    let seeder = sqlx::SqlitePool::connect(&url).await?;
    let id = seed(&seeder).await?;
    seeder.close().await;
    println!(
        "seeded session {id}: {QUESTIONS} questions, {DRAFTS} drafts, {MESSAGES} discussion messages in {:.1?}",
        started.elapsed()
    );

    let mut load = Vec::new();
    let mut docset = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        docset = store.read(move |tx| tx.docset(id)).await?;
        load.push(t.elapsed());
    }
    let docset = docset.ok_or_else(|| anyhow::anyhow!("session {id} vanished"))?;
    let ctx = ExportContext {
        names: (0..50)
            .map(|i| (format!("U{i:04}"), format!("Person {i} 🧑‍💻")))
            .collect(),
        permalink: Some("https://acme.slack.com/archives/C1/p1".into()),
        exported_at: "2026-11-22T08:00:00Z".into(),
        review: vec![ReviewItem {
            rule: "sentence over 30 words".into(),
            severity: "warning".into(),
            quote: "Today we launch".into(),
            suggestion: "Split it.".into(),
        }],
    };

    println!(
        "\n{:<22} {:>10} {:>10} {:>12}",
        "step", "median", "worst", "output"
    );
    report("load doc set (SQLite)", &load, None);
    type Render = fn(&wb::domain::docset::DocSet, &ExportContext) -> String;
    let formats: [(&str, Render); 4] = [
        ("markdown", export::markdown::render),
        ("html", export::html::render),
        ("json", |d, _| export::json::render(d)),
        ("canvas markdown", export::markdown::render_canvas),
    ];
    for (name, render) in formats {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let out = render(&docset, &ctx);
            times.push(t.elapsed());
            size = out.len();
        }
        report(name, &times, Some(size));
    }
    store.close().await;
    Ok(())
}

fn report(name: &str, times: &[Duration], size: Option<usize>) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let worst = sorted[sorted.len() - 1];
    let size = size
        .map(|s| format!("{:.1} MB", s as f64 / 1_000_000.0))
        .unwrap_or_default();
    let (median, worst) = (format!("{median:.1?}"), format!("{worst:.1?}"));
    println!("{name:<22} {median:>10} {worst:>10} {size:>12}");
}

/// One big session, written in a single transaction.
async fn seed(pool: &sqlx::SqlitePool) -> anyhow::Result<i64> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (team_id, channel_id, thread_ts, title, created_by, created_at, last_activity_at)
         VALUES ('T1', 'C1', '1.000001', 'Smart fridge camera', 'U0001', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z')
         RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await?;
    for v in 1..=DRAFTS {
        sqlx::query(
            "INSERT INTO drafts (session_id, version, author, created_at, source, headline, subheadline,
                    summary, problem, solution, leader_quote, getting_started, customer_quote, call_to_action)
             VALUES (?, ?, ?, ?, 'modal', ?, 'For busy households', ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(v as i64)
        .bind(format!("U{:04}", v % 50))
        .bind(stamp(v))
        .bind(format!("FridgeCam v{v} shows what's inside your fridge"))
        .bind("Today we launch *FridgeCam* &amp; its app.\nIt costs less than a week of groceries.")
        .bind("You stand in the shop and cannot remember whether there is milk at home.")
        .bind("A camera in the fridge:\n• photo per shelf\n• app shows it\n```\nfridge.snap()\n```")
        .bind("“We &lt;3 fresh food” — <@U0001>")
        .bind("Plug it in, open <https://example.com|the app>.")
        .bind("“I never buy a second jar of mustard again.”")
        .bind("Order at <https://example.com>.")
        .execute(&mut *tx)
        .await?;
    }
    for q in 0..QUESTIONS {
        let qid: i64 = sqlx::query_scalar(
            "INSERT INTO questions (session_id, audience, question, asked_by, asked_at, source)
             VALUES (?, ?, ?, ?, ?, 'thread') RETURNING id",
        )
        .bind(id)
        .bind(if q % 3 == 0 { "internal" } else { "external" })
        .bind(format!(
            "Question {q}: how does *this* work with <@U{:04}> &amp; `code`, and what does it cost in 🇪🇺?",
            q % 50
        ))
        .bind(format!("U{:04}", q % 50))
        .bind(stamp(q))
        .fetch_one(&mut *tx)
        .await?;
        for v in 0..(q % 4) {
            sqlx::query(
                "INSERT INTO question_votes (question_id, user_id, voted_at) VALUES (?, ?, ?)",
            )
            .bind(qid)
            .bind(format!("U{v:04}"))
            .bind(stamp(q))
            .execute(&mut *tx)
            .await?;
        }
        if q % 2 == 0 {
            sqlx::query("INSERT INTO answers (question_id, answer, answered_by, answered_at) VALUES (?, ?, ?, ?)")
                .bind(qid)
                .bind("Yes: *49 €*, see <https://example.com/pricing|pricing>.\n&gt; quoted")
                .bind(format!("U{:04}", (q + 7) % 50))
                .bind(stamp(q + 1))
                .execute(&mut *tx)
                .await?;
        }
    }
    for m in 0..MESSAGES {
        sqlx::query(
            "INSERT INTO entries (session_id, kind, body, author, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind("discussion")
        .bind(format!(
            "Message {m}: I think _this_ matters, see <#C0002|design> and <https://example.com/{m}|ticket {m}>."
        ))
        .bind(format!("U{:04}", m % 60))
        .bind(stamp(m))
        .execute(&mut *tx)
        .await?;
    }
    for e in 0..200 {
        sqlx::query(
            "INSERT INTO entries (session_id, kind, body, author, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(["customer_experience", "concept", "howto", "reference"][e % 4])
        .bind("Ada opens the app at the shop:\n1. she taps *Shelves*\n2. she sees the milk")
        .bind(format!("U{:04}", e % 50))
        .bind(stamp(e))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

fn stamp(n: usize) -> String {
    let ts = jiff::Timestamp::from_second(1_763_715_600 + n as i64).unwrap_or_default();
    wb::domain::format_rfc3339(ts)
}

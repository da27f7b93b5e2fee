//! `cargo bench --bench bar_raiser`: times the bar-raiser's review of drafts of
//! 2,000, 8,000 and 32,000 sentences and fails unless the review is linear in
//! the length of the draft. No harness: it prints a table (per review: fastest
//! and median of the runs, and the growth from the size before).
//!
//! The verdict compares the fastest runs of the smallest and the largest draft:
//! 16× the text takes ~16× as long when the work is linear and ~256× when it is
//! quadratic, so the bench fails at 64×, halfway on a log scale. One 4× step is
//! not the verdict: the linear review already measures ~5× per step (likely the
//! larger drafts outgrowing the CPU caches), and a quadratic term with a small constant
//! can stay under 10× in one step while the whole range shows it plainly. Run it
//! in release (`cargo bench`): in a debug build the linear part is slow enough
//! to hide such a term at these sizes.
//!
//! This is a benchmark, not a unit test, because it reads a clock: on a shared
//! machine a unit test timing itself fails now and then for no fault of the code.

use std::time::{Duration, Instant};

use wb::domain::bar_raiser::review;
use wb::domain::draft::DraftFields;

const SIZES: [usize; 3] = [2_000, 8_000, 32_000];
const RUNS: usize = 9;
/// Largest over smallest: linear is 16×, quadratic 256×.
const MAX_GROWTH: f64 = 64.0;

fn main() -> anyhow::Result<()> {
    let today = jiff::civil::date(2026, 11, 21);
    let clock = if on_cpu().is_some() {
        "on-CPU time of this thread"
    } else {
        "wall-clock time"
    };
    println!("per review, {clock}, fastest and median of {RUNS} runs");
    println!(
        "{:>10} {:>8} {:>8} {:>10} {:>10} {:>9} {:>6}",
        "sentences", "words", "reviews", "fastest", "median", "findings", "step"
    );
    let largest = SIZES[SIZES.len() - 1];
    let mut fastest_runs: Vec<Duration> = Vec::new();
    for sentences in SIZES {
        let text = stress_text(sentences);
        let words = text.split_whitespace().count();
        let fields = DraftFields {
            headline: Some("Acme Fridge Cam shows you what is in your fridge".into()),
            launch_date: Some("2027-03-01".into()),
            summary: Some(text),
            ..DraftFields::default()
        };
        // Every run reviews as much text as one run of the largest draft, so
        // no size is timed over a span short enough for the clock's grain.
        let reviews = largest / sentences;
        let mut times = Vec::with_capacity(RUNS);
        let mut findings = 0;
        for _ in 0..RUNS {
            let took = timed(|| {
                for _ in 0..reviews {
                    findings = std::hint::black_box(review(&fields, today)).len();
                }
            });
            times.push(took / reviews as u32);
        }
        anyhow::ensure!(findings > 0, "no findings on {sentences} sentences");
        times.sort();
        let (fastest, median) = (times[0], times[RUNS / 2]);
        let step = fastest_runs
            .last()
            .map(|p| format!("{:.1}×", fastest.as_secs_f64() / p.as_secs_f64().max(1e-9)))
            .unwrap_or_default();
        println!(
            "{sentences:>10} {words:>8} {reviews:>8} {:>10} {:>10} {findings:>9} {step:>6}",
            format!("{fastest:.2?}"),
            format!("{median:.2?}"),
        );
        fastest_runs.push(fastest);
    }
    let growth =
        fastest_runs[SIZES.len() - 1].as_secs_f64() / fastest_runs[0].as_secs_f64().max(1e-9);
    let size_growth = largest / SIZES[0];
    println!("{size_growth}× the text took {growth:.1}× as long (linear: {size_growth}×, fails at {MAX_GROWTH}×)");
    anyhow::ensure!(
        growth < MAX_GROWTH,
        "the review is not linear in the length of the draft: {size_growth}× the text took {growth:.1}× as long"
    );
    Ok(())
}

/// How long `f` ran on the CPU, or on the wall clock where the kernel does not say.
fn timed(f: impl FnOnce()) -> Duration {
    let (cpu, wall) = (on_cpu(), Instant::now());
    f();
    match (cpu, on_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall.elapsed(),
    }
}

/// Time this thread has spent on a CPU (Linux). Unlike the wall clock it does
/// not count the time other processes hold the CPU, which on a busy machine
/// swamps the measurement. The kernel updates it at least every scheduler tick
/// (1–4 ms), small against a run of the largest draft.
fn on_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Sentences that trip most rules (weasel words, jargon, an acronym, claims
/// with and without a number), seven to a paragraph.
fn stress_text(sentences: usize) -> String {
    let pieces = [
        "Many shoppers see a faster fridge",
        "with the NPS score and an API that we leverage",
        "because nearly all of them buy twice",
        "and the photo arrives in 2 seconds",
    ];
    let mut out = String::new();
    for i in 0..sentences {
        out.push_str(pieces[i % pieces.len()]);
        out.push_str(if i % 7 == 6 { ".\n" } else { ". " });
    }
    out
}

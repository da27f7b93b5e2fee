//! The internal FAQ's coverage by Carr's four families, in one line: shown on
//! the root message, in the Triage modal and in the Home tab.

use crate::domain::family::{Coverage, Family};

/// "Internal FAQ: no Economics questions yet (customer 2 · solution 1 ·
/// economics 0 · risks 1)", or the counts when every family has a question.
pub fn coverage_line(coverage: &Coverage) -> String {
    let counts = || {
        Family::ALL
            .iter()
            .map(|f| format!("{} {}", f.as_str(), coverage.get(*f)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    match coverage.gap_text() {
        Some(gap) if coverage.total() == 0 => format!(
            ":bar_chart: *Internal FAQ:* {gap} — ask `IQ: …` about the customer, the solution, economics and risks."
        ),
        Some(gap) => format!(":bar_chart: *Internal FAQ:* {gap} ({})", counts()),
        None => format!(
            ":white_check_mark: *Internal FAQ* covers all four families ({})",
            counts()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_gap_or_the_counts() {
        let mut c = Coverage::default();
        assert!(coverage_line(&c)
            .contains("no Customer, Solution, Economics or Risks questions yet — ask `IQ: …`"));
        c.add(Family::Customer, 2);
        c.add(Family::Solution, 1);
        c.add(Family::Risks, 1);
        assert_eq!(
            coverage_line(&c),
            ":bar_chart: *Internal FAQ:* no Economics questions yet (customer 2 · solution 1 · economics 0 · risks 1)"
        );
        c.add(Family::Economics, 1);
        assert!(coverage_line(&c).contains("covers all four families"));
    }
}

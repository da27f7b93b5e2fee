//! Bill Carr's four families of the internal FAQ (WORKING_BACKWARDS.md): a
//! keyword guess at capture, and the coverage a PR/FAQ is judged by — a
//! family with no question is what a review sends back most often.

use std::sync::OnceLock;

use serde::Serialize;

/// An internal question's family (SPEC §5.2). External questions have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Customer definition and market size.
    Customer,
    /// Problems, solutions and assumptions.
    Solution,
    /// Costs, P&L.
    Economics,
    /// Dependencies and risks.
    Risks,
}

impl Family {
    /// In Carr's order (the export's and the coverage's order).
    pub const ALL: [Family; 4] = [
        Family::Customer,
        Family::Solution,
        Family::Economics,
        Family::Risks,
    ];

    /// The `questions.family` column value (and the export's).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Customer => "customer",
            Family::Solution => "solution",
            Family::Economics => "economics",
            Family::Risks => "risks",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// How people read it ("no Economics questions yet").
    pub fn label(self) -> &'static str {
        match self {
            Family::Customer => "Customer",
            Family::Solution => "Solution",
            Family::Economics => "Economics",
            Family::Risks => "Risks",
        }
    }

    /// What the family covers, in Carr's words.
    pub fn covers(self) -> &'static str {
        match self {
            Family::Customer => "customer definition, market size",
            Family::Solution => "problems, solutions, assumptions",
            Family::Economics => "costs, P&L",
            Family::Risks => "dependencies, risks",
        }
    }
}

/// The words that point at a family. A keyword is one or more words matched
/// whole and in order, case-insensitively; a trailing `*` matches any word
/// starting with it (`cost*`: cost, costs, costly). A match weighs as many
/// points as the keyword has words, so "who is the customer" (4) outweighs a
/// stray "cost" (1).
const KEYWORDS: &[(Family, &str)] = &[
    (Family::Customer, "tam"),
    (Family::Customer, "sam"),
    (Family::Customer, "market size"),
    (Family::Customer, "market sizing"),
    (Family::Customer, "size of the market"),
    (Family::Customer, "addressable"),
    (Family::Customer, "who is the customer"),
    (Family::Customer, "who's the customer"),
    (Family::Customer, "who are the customers"),
    (Family::Customer, "target customer*"),
    (Family::Customer, "target audience"),
    (Family::Customer, "target market"),
    (Family::Customer, "customer*"),
    (Family::Customer, "segment*"),
    (Family::Customer, "persona"),
    (Family::Customer, "personas"),
    (Family::Customer, "demographic*"),
    (Family::Customer, "market"),
    (Family::Customer, "demand"),
    (Family::Customer, "how many people"),
    (Family::Economics, "cost*"),
    (Family::Economics, "margin*"),
    (Family::Economics, "p&l"),
    (Family::Economics, "pnl"),
    (Family::Economics, "price*"),
    (Family::Economics, "pricing"),
    (Family::Economics, "priced"),
    (Family::Economics, "revenue*"),
    (Family::Economics, "profit*"),
    (Family::Economics, "budget*"),
    (Family::Economics, "roi"),
    (Family::Economics, "capex"),
    (Family::Economics, "opex"),
    (Family::Economics, "economic*"),
    (Family::Economics, "how much"),
    (Family::Economics, "invest*"),
    (Family::Economics, "spend*"),
    (Family::Economics, "expens*"),
    (Family::Economics, "cheap*"),
    (Family::Economics, "pay"),
    (Family::Economics, "pays"),
    (Family::Economics, "paying"),
    (Family::Economics, "payment*"),
    (Family::Economics, "payback"),
    (Family::Economics, "break even"),
    (Family::Economics, "breakeven"),
    (Family::Economics, "cac"),
    (Family::Economics, "ltv"),
    (Family::Economics, "fee"),
    (Family::Economics, "fees"),
    (Family::Risks, "depend*"),
    (Family::Risks, "risk*"),
    (Family::Risks, "legal*"),
    (Family::Risks, "what if"),
    (Family::Risks, "complian*"),
    (Family::Risks, "regulat*"),
    (Family::Risks, "privacy"),
    (Family::Risks, "personal data"),
    (Family::Risks, "secur*"),
    (Family::Risks, "liabil*"),
    (Family::Risks, "lawsuit*"),
    (Family::Risks, "patent*"),
    (Family::Risks, "go wrong"),
    (Family::Risks, "goes wrong"),
    (Family::Risks, "fail*"),
    (Family::Risks, "threat*"),
    (Family::Risks, "competitor*"),
    (Family::Risks, "outage*"),
    (Family::Risks, "gdpr"),
    (Family::Risks, "hipaa"),
    (Family::Risks, "worst case"),
    (Family::Risks, "blocker*"),
    (Family::Risks, "mitigat*"),
];

/// Who wins a tie: money and risk words are the more specific ones ("will
/// customers pay for it?" is an economics question).
const TIE_ORDER: [Family; 3] = [Family::Economics, Family::Risks, Family::Customer];

/// Guesses an internal question's family from its words: the family whose
/// keywords weigh most, [`Family::Solution`] when none match (problems,
/// solutions and assumptions are what most questions are about). A currency
/// sign counts as one economics word.
pub fn guess(question: &str) -> Family {
    // One pass to words; "who’s" is typed with either apostrophe.
    let lower = question.to_lowercase().replace('’', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '&' | '\'')))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut score = [0_usize; 4];
    for (family, pattern) in patterns() {
        let hits = (0..words.len())
            .filter(|&i| matches_at(&words, i, pattern))
            .count();
        score[*family as usize] += hits * pattern.len();
    }
    if lower.contains(['$', '€', '£', '¥']) {
        score[Family::Economics as usize] += 1;
    }
    let best = score.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return Family::Solution;
    }
    TIE_ORDER
        .into_iter()
        .find(|f| score[*f as usize] == best)
        .unwrap_or(Family::Solution)
}

/// [`KEYWORDS`] split into words, once.
fn patterns() -> &'static [(Family, Vec<&'static str>)] {
    static PATTERNS: OnceLock<Vec<(Family, Vec<&'static str>)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        KEYWORDS
            .iter()
            .map(|(f, k)| (*f, k.split(' ').collect()))
            .collect()
    })
}

/// True when `pattern` matches the words starting at `i`.
fn matches_at(words: &[&str], i: usize, pattern: &[&str]) -> bool {
    words.len() >= i + pattern.len()
        && pattern
            .iter()
            .zip(&words[i..])
            .all(|(p, word)| match p.strip_suffix('*') {
                Some(stem) => word.starts_with(stem),
                None => word == p,
            })
}

/// How many internal, non-merged questions each family has (SPEC §5.2); the
/// export's `coverage` object, keys in Carr's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub customer: i64,
    pub solution: i64,
    pub economics: i64,
    pub risks: i64,
}

impl Coverage {
    pub fn get(&self, family: Family) -> i64 {
        match family {
            Family::Customer => self.customer,
            Family::Solution => self.solution,
            Family::Economics => self.economics,
            Family::Risks => self.risks,
        }
    }

    pub fn add(&mut self, family: Family, n: i64) {
        match family {
            Family::Customer => self.customer += n,
            Family::Solution => self.solution += n,
            Family::Economics => self.economics += n,
            Family::Risks => self.risks += n,
        }
    }

    /// Internal questions counted.
    pub fn total(&self) -> i64 {
        Family::ALL.iter().map(|f| self.get(*f)).sum()
    }

    /// Families with no question yet, in Carr's order.
    pub fn missing(&self) -> Vec<Family> {
        Family::ALL
            .into_iter()
            .filter(|f| self.get(*f) == 0)
            .collect()
    }

    /// "no Economics questions yet", "no Customer or Risks questions yet";
    /// `None` when every family has a question.
    pub fn gap_text(&self) -> Option<String> {
        let missing: Vec<&str> = self.missing().iter().map(|f| f.label()).collect();
        let names = match missing.as_slice() {
            [] => return None,
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        };
        Some(format!("no {names} questions yet"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_family_is_guessed_from_the_words() {
        use Family::*;
        let cases = [
            // The issue's examples.
            ("What is the TAM?", Customer),
            ("What's the market size in Europe?", Customer),
            ("Who is the customer, really?", Customer),
            ("What will it cost to build?", Economics),
            ("What margin do we expect?", Economics),
            ("Show me the P&L for year one", Economics),
            ("What price will we charge?", Economics),
            ("Which teams do we depend on?", Risks),
            ("What is the biggest risk?", Risks),
            ("Has legal reviewed the camera?", Risks),
            ("What if the fridge loses Wi-Fi?", Risks),
            ("How does the camera see inside the drawer?", Solution),
            ("Why now?", Solution),
            // Stems, case and word boundaries.
            ("Costs per unit?", Economics),
            ("COSTLY?", Economics),
            ("What are the dependencies?", Risks),
            ("Is it risky?", Risks),
            ("Pricing tiers?", Economics),
            ("Is the stamp on the box enough?", Solution),
            ("What feedback did testers give?", Solution),
            ("Is personal data stored?", Risks),
            ("Can someone tamper with it?", Solution),
            ("Who’s the customer?", Customer),
            // Weights and ties: the longer, more specific keyword wins, and
            // money beats a stray customer.
            ("Who is the customer and what will it cost?", Customer),
            ("Will customers pay for it?", Economics),
            ("What if customers hate it?", Risks),
            ("Is $9 a month too much?", Economics),
            ("How much does it take to acquire a customer?", Economics),
            ("", Solution),
        ];
        for (question, want) in cases {
            assert_eq!(guess(question), want, "{question:?}");
        }
    }

    #[test]
    fn families_round_trip_in_carrs_order() {
        let names: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(names, ["customer", "solution", "economics", "risks"]);
        for f in Family::ALL {
            assert_eq!(Family::parse(f.as_str()), Some(f));
            assert_eq!(serde_json::to_value(f).expect("json"), f.as_str());
        }
        assert_eq!(Family::parse("market"), None);
    }

    #[test]
    fn coverage_names_the_missing_families() {
        let mut c = Coverage::default();
        assert_eq!(
            c.gap_text().as_deref(),
            Some("no Customer, Solution, Economics or Risks questions yet")
        );
        c.add(Family::Customer, 2);
        c.add(Family::Solution, 1);
        c.add(Family::Risks, 1);
        assert_eq!(c.missing(), [Family::Economics]);
        assert_eq!(c.gap_text().as_deref(), Some("no Economics questions yet"));
        assert_eq!(c.total(), 4);
        c.add(Family::Economics, 1);
        assert_eq!(c.gap_text(), None);
        let json = serde_json::to_string(&c).expect("json");
        assert_eq!(
            json,
            r#"{"customer":2,"solution":1,"economics":1,"risks":1}"#
        );
        let two = Coverage {
            customer: 1,
            solution: 1,
            ..Coverage::default()
        };
        assert_eq!(
            two.gap_text().as_deref(),
            Some("no Economics or Risks questions yet")
        );
    }
}

//! The canonical sections as the modal asks for them, with hints taken from
//! WORKING_BACKWARDS.md.

use crate::domain::draft::Section;

/// Slack's cap on a `plain_text_input`.
pub const MAX_INPUT: usize = 3000;

/// How one section is asked for. Hints come from WORKING_BACKWARDS.md.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub section: Section,
    pub block_id: &'static str,
    pub hint: &'static str,
    pub placeholder: &'static str,
    /// `None` for the datepicker.
    pub max_length: Option<usize>,
    pub multiline: bool,
}

const fn text(
    section: Section,
    block_id: &'static str,
    hint: &'static str,
    placeholder: &'static str,
    max_length: usize,
    multiline: bool,
) -> FieldSpec {
    FieldSpec {
        section,
        block_id,
        hint,
        placeholder,
        max_length: Some(max_length),
        multiline,
    }
}

/// The modal's inputs, in the order of a press release.
pub const FIELDS: [FieldSpec; 11] = [
    text(
        Section::Headline,
        "wb_pr_headline",
        "The product's name in a form the target customer understands.",
        "Acme Fridge Cam shows you what's in your fridge while you shop",
        150,
        false,
    ),
    text(
        Section::Subheadline,
        "wb_pr_subheadline",
        "One sentence: who the market is and what benefit they get.",
        "Home cooks check their fridge from the store and stop buying food twice",
        300,
        false,
    ),
    text(
        Section::DatelineCity,
        "wb_pr_dateline_city",
        "The dateline's city: where the launch is announced.",
        "Seattle",
        100,
        false,
    ),
    FieldSpec {
        section: Section::LaunchDate,
        block_id: "wb_pr_launch_date",
        hint: "The day customers can get it. The bar-raiser flags a date in the past.",
        placeholder: "Pick the launch date",
        max_length: None,
        multiline: false,
    },
    text(
        Section::Summary,
        "wb_pr_summary",
        "The product and its benefit, assuming the reader reads nothing else.",
        "Acme Fridge Cam clips inside the fridge door and sends a photo to your phone each time it closes.",
        MAX_INPUT,
        true,
    ),
    text(
        Section::Problem,
        "wb_pr_problem",
        "The problem the product solves, from the customer's side. Numbers, not adjectives.",
        "A family of four throws away 30% of the food it buys…",
        MAX_INPUT,
        true,
    ),
    text(
        Section::Solution,
        "wb_pr_solution",
        "How the product elegantly solves it.",
        "Open the app in the store and see your shelves as they were when the door last closed.",
        MAX_INPUT,
        true,
    ),
    text(
        Section::LeaderQuote,
        "wb_pr_leader_quote",
        "A quote from a company spokesperson: why we built it.",
        "“We kept buying milk we already had,” said Jane Doe, head of Acme Home.",
        MAX_INPUT,
        true,
    ),
    text(
        Section::GettingStarted,
        "wb_pr_getting_started",
        "How easy it is to get started.",
        "Clip the camera to the door, scan the code on the box, and it's ready in 5 minutes.",
        MAX_INPUT,
        true,
    ),
    text(
        Section::CustomerQuote,
        "wb_pr_customer_quote",
        "A hypothetical customer describing the benefit in their own words.",
        "“Our bin is half as full,” said Sam, a parent of three in Leeds.",
        MAX_INPUT,
        true,
    ),
    text(
        Section::CallToAction,
        "wb_pr_call_to_action",
        "Closing: where the reader goes next.",
        "Order Acme Fridge Cam for $49 at acme.example/fridge from March 1.",
        MAX_INPUT,
        true,
    ),
];

//! The walking skeleton: signed routes, `/wb pressrelease`, the outbox, the CLI.
//! Shared imports here; tests by theme below.

mod cli;
mod routes;
mod signing;
mod slack_errors;
mod start;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::*;

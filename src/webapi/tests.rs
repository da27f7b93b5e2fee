//! Unit tests of the Web API client: how Slack's failures are sorted and labelled.
use super::*;

#[test]
fn slack_errors_are_sorted_by_what_to_do() {
    let api = |code: &str| SlackClientError::ApiError(SlackClientApiError::new(code.into()));
    assert_eq!(
        classify(api("not_in_channel")),
        ApiError::Permanent("not_in_channel".into())
    );
    assert_eq!(
        classify(api("channel_not_found")).code(),
        Some("channel_not_found")
    );
    assert!(matches!(
        classify(api("internal_error")),
        ApiError::Transient(_)
    ));
    assert!(matches!(
        classify(api("ratelimited")),
        ApiError::Transient(_)
    ));
    let http = |status: u16| {
        SlackClientError::HttpError(SlackClientHttpError::new(
            http::StatusCode::from_u16(status).expect("status"),
        ))
    };
    assert!(classify(http(503)).outcome_unknown());
    assert!(!classify(api("internal_error")).outcome_unknown());
    assert_eq!(classify(http(404)), ApiError::Permanent("http_404".into()));
    let outcome_of = |e: ApiError| outcome::<()>(&Err(e));
    assert_eq!(outcome_of(classify(http(503))), "5xx");
    assert_eq!(outcome_of(classify(api("not_in_channel"))), "error_channel");
    assert_eq!(outcome_of(classify(api("invalid_auth"))), "error_auth");
    assert_eq!(outcome_of(classify(api("invalid_blocks"))), "error_request");
    assert_eq!(outcome_of(classify(api("ratelimited"))), "ratelimited");
    assert_eq!(
        outcome_of(classify(api("internal_error"))),
        "error_transient"
    );
    assert_eq!(outcome_of(classify(http(404))), "error_http");
    assert_eq!(outcome_of(classify(api("some_new_code"))), "error_other");
    assert_eq!(
        outcome_of(ApiError::Unknown("chat.update timed out".into())),
        "timeout"
    );
    assert_eq!(outcome::<()>(&Ok(())), "ok");
    let limited = SlackClientError::RateLimitError(
        SlackRateLimitError::new().with_retry_after(Duration::from_secs(7)),
    );
    assert_eq!(
        classify(limited),
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
}

//! How a Web API call ended, as the `outcome` label of
//! `wb_slack_api_calls_total`: a closed set of classes, never Slack's codes.

use super::{ApiError, NOT_INSTALLED};

/// How a call ended, as the `outcome` label of `wb_slack_api_calls_total`:
/// `ok`, `ratelimited`, `5xx`, `timeout`, `network`, or the class of Slack's
/// error code (`error_auth`, `error_channel`, `error_request`, `error_http`,
/// `error_transient`, `error_other`). A closed set: codes never become labels.
pub fn outcome<T>(result: &Result<T, ApiError>) -> &'static str {
    let code = match result {
        Ok(_) => return "ok",
        Err(ApiError::RateLimited { .. }) => return "ratelimited",
        Err(ApiError::Unknown(text)) => {
            return if text.starts_with("HTTP 5") {
                "5xx"
            } else if text.ends_with("timed out") {
                "timeout"
            } else {
                "network"
            }
        }
        Err(ApiError::Transient(code)) => {
            return if code == "ratelimited" || code == "rate_limited" {
                "ratelimited"
            } else {
                "error_transient"
            }
        }
        Err(ApiError::Permanent(code)) => code.as_str(),
    };
    match code {
        "not_authed"
        | "invalid_auth"
        | "account_inactive"
        | "token_revoked"
        | "token_expired"
        | "no_permission"
        | "missing_scope"
        | "not_allowed_token_type"
        | "ekm_access_denied"
        | "team_access_not_granted"
        | "org_login_required"
        | NOT_INSTALLED
        | "invalid_refresh_token"
        | "invalid_code"
        | "bad_client_secret"
        | "bad_redirect_uri" => "error_auth",
        "channel_not_found"
        | "not_in_channel"
        | "is_archived"
        | "channel_is_archived"
        | "message_not_found"
        | "thread_not_found"
        | "cant_update_message"
        | "restricted_action"
        | "user_not_in_channel"
        | "user_not_found" => "error_channel",
        "invalid_arguments"
        | "invalid_arg_name"
        | "invalid_array_arg"
        | "invalid_blocks"
        | "invalid_blocks_format"
        | "msg_too_long"
        | "no_text"
        | "too_many_attachments"
        | "invalid_form_data"
        | "invalid_json"
        | "json_not_object"
        | "invalid_charset"
        | "invalid_post_type"
        | "missing_post_type"
        | "invalid_name"
        | "view_too_large"
        | "method_not_in_scope_table"
        | "invalid_upload_url"
        | "invalid_response_url" => "error_request",
        code if code.starts_with("http_") => "error_http",
        _ => "error_other",
    }
}

//! The install routes: `GET /slack/install` and `GET /slack/oauth_redirect`
//! (what they mean is `slack::oauth`'s). HTML pages that load nothing from
//! elsewhere, are never cached, never framed, and never send the redirect's
//! URL (with its code) on as a referrer.

use std::sync::Arc;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use http_body_util::Full;

use super::refusals::Reason;
use super::Body;
use crate::app::AppState;
use crate::slack::oauth::{self, Page};

pub(super) async fn install(state: &Arc<AppState>) -> Response<Body> {
    page(oauth::install(state).await)
}

pub(super) async fn redirect(
    state: &Arc<AppState>,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response<Body> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let cookie = cookies
        .iter()
        .find_map(|c| oauth::state_from_cookies(Some(c)));
    page(oauth::redirect(state, &fields, cookie).await)
}

fn page(page: Page) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::from(page.html)));
    *res.status_mut() = StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK);
    let headers = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Some(cookie) = page.set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    if let Some(reason) = page.refusal {
        res.extensions_mut().insert(Reason(reason));
    }
    res
}

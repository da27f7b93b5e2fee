//! Shared pieces of wb's load and crash benchmarks: Slack's v0 request
//! signature, a tiny `--flag value` parser, and the accept loop the servers use.
//!
//! # Layout
//! - `bin/loadgen/`: signs and sends slash commands or events, closed loop
//!   (`--concurrency`) or open loop (`--rate`), and reports latency.
//! - `bin/fake_slack/`: answers every Web API method with `{"ok":true,…}`,
//!   counts calls per method (`GET /stats`) and root posts per message
//!   (`GET /stats/duplicates`), and answers `conversations.history` /
//!   `conversations.replies` from the messages it recorded.
//! - `bin/floor.rs`: checks the signature and answers 200: the ceiling any
//!   signed-request server on this machine can reach.
//! - `bin/workref/`: the minimal program doing wb's full work for a slash
//!   command and a thread question (store, ack after commit, post): wb's
//!   reference line.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use hmac::{KeyInit, Mac};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use sha2::Sha256;
use tokio::net::TcpListener;

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> hmac::Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match hmac::Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac
}

/// `X-Slack-Signature` as Slack computes it: `v0=` + hex HMAC-SHA256 of `v0:{ts}:{body}`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// The check a Slack app must do: timestamp within 5 minutes, signature equal
/// (compared in constant time).
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> bool {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return false;
    };
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    if now.abs_diff(ts) > 300 {
        return false;
    }
    let Some(hex_sig) = signature.strip_prefix("v0=") else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_sig) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&expected).is_ok()
}

/// `--name value` pairs of the command line.
pub struct Flags(Vec<String>);

impl Flags {
    pub fn from_env() -> Self {
        Self(std::env::args().skip(1).collect())
    }

    /// The value after `--name`, if given.
    pub fn get(&self, name: &str) -> Option<String> {
        let flag = format!("--{name}");
        let prefixed = format!("--{name}=");
        let mut it = self.0.iter();
        while let Some(arg) = it.next() {
            if *arg == flag {
                return it.next().cloned();
            }
            if let Some(v) = arg.strip_prefix(&prefixed) {
                return Some(v.to_string());
            }
        }
        None
    }

    pub fn has(&self, name: &str) -> bool {
        let flag = format!("--{name}");
        self.0.contains(&flag)
    }

    /// A parsed value, the default when absent; exits with a message when malformed.
    pub fn parse_or<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        match self.get(name) {
            None => default,
            Some(raw) => match raw.parse() {
                Ok(v) => v,
                Err(_) => fail(&format!("--{name}: `{raw}` is not valid")),
            },
        }
    }
}

/// Prints `message` and exits with status 2.
pub fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

/// A tokio runtime with `threads` workers (at least one).
pub fn runtime(threads: usize) -> tokio::runtime::Runtime {
    let built = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    };
    built.unwrap_or_else(|e| fail(&format!("cannot start tokio: {e}")))
}

/// Serves HTTP/1.1 with keep-alive on `addr` forever, one task per connection.
pub async fn serve<F, Fut>(addr: SocketAddr, handler: F)
where
    F: Fn(Request<Incoming>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Full<Bytes>>> + Send + 'static,
{
    let listener = TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {addr}: {e}")));
    let handler = Arc::new(handler);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            Err(e) => {
                eprintln!("accept: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(handler(req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A response with `status`, a content type and `body`.
pub fn respond(
    status: u16,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    let mut res = Response::new(Full::new(body.into()));
    *res.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    res.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_slacks_documented_example() {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let sig = sign(
            "8f742231b10e8888abcd99yyyzzz85a5",
            "1531420618",
            body.as_bytes(),
        );
        assert_eq!(
            sig,
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        );
        let secret = "8f742231b10e8888abcd99yyyzzz85a5";
        assert!(verify(
            secret,
            Some("1531420618"),
            Some(&sig),
            body.as_bytes(),
            1531420618
        ));
        assert!(!verify(
            secret,
            Some("1531420618"),
            Some(&sig),
            body.as_bytes(),
            1531420618 + 301
        ));
        assert!(!verify(
            secret,
            Some("1531420618"),
            Some(&sig),
            b"x",
            1531420618
        ));
    }
}

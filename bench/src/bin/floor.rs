//! The floor: a bare hyper server that reads the body, checks Slack's v0
//! signature with the same secret as wb and answers 200 (401 when it does not
//! match). Whatever wb does beyond this is the cost of its work.
//!
//! `floor --secret S [--listen 127.0.0.1:38082] [--threads N]` (threads default:
//! the number of CPUs, like `#[tokio::main]` in wb).

use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::BodyExt;
use wb_bench::{fail, respond, runtime, serve, unix_now, verify, Flags};

fn main() {
    let flags = Flags::from_env();
    let secret: Arc<str> = flags
        .get("secret")
        .or_else(|| std::env::var("SLACK_SIGNING_SECRET").ok())
        .unwrap_or_else(|| fail("--secret (or SLACK_SIGNING_SECRET) is required"))
        .into();
    let listen: SocketAddr = flags
        .get("listen")
        .unwrap_or_else(|| "127.0.0.1:38082".into())
        .parse()
        .unwrap_or_else(|_| fail("--listen must be an address like 127.0.0.1:38082"));
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = flags.parse_or("threads", cpus);
    runtime(threads).block_on(serve(listen, move |req| {
        let secret = secret.clone();
        async move {
            let (parts, body) = req.into_parts();
            let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
                return respond(400, "text/plain", "bad body");
            };
            let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
            if verify(
                &secret,
                header("x-slack-request-timestamp"),
                header("x-slack-signature"),
                &body,
                unix_now(),
            ) {
                respond(200, "text/plain", "")
            } else {
                respond(401, "text/plain", "invalid request signature")
            }
        }
    }));
}

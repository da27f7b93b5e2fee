//! The page's live updates: a server-sent event stream that says `change`
//! (with the world's version) whenever the emulated workspace changes, so every
//! open tab fetches its own view of it again.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{header, HeaderValue, Response};
use http_body_util::BodyExt;
use hyper::body::Frame;
use tokio::sync::{mpsc, watch};

use super::hub::Body;
use super::hub::Hub;

/// A server-sent event stream: `change` with the world's version whenever it
/// changes (coalesced), and a comment every 15 s to keep proxies quiet.
pub fn events(hub: &Arc<Hub>, mut stop: watch::Receiver<bool>) -> Response<Body> {
    let mut changes = hub.subscribe();
    let (tx, rx) = mpsc::channel::<Bytes>(8);
    tokio::spawn(async move {
        let first = format!(
            "retry: 1000\nevent: change\ndata: {}\n\n",
            *changes.borrow_and_update()
        );
        if tx.send(Bytes::from(first)).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                changed = changes.changed() => {
                    if changed.is_err() { break; }
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    let v = *changes.borrow_and_update();
                    if tx.send(Bytes::from(format!("event: change\ndata: {v}\n\n"))).await.is_err() { break; }
                }
                _ = tokio::time::sleep(Duration::from_secs(15)) => {
                    if tx.send(Bytes::from_static(b": keepalive\n\n")).await.is_err() { break; }
                }
                _ = stop.changed() => break,
            }
        }
    });
    let mut res = Response::new(Sse { rx }.boxed_unsync());
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

struct Sse {
    rx: mpsc::Receiver<Bytes>,
}

impl hyper::body::Body for Sse {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.rx
            .poll_recv(cx)
            .map(|next| next.map(|b| Ok(Frame::data(b))))
    }
}

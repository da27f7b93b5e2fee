//! Requests to wb as Slack sends them: signed (or deliberately not), raw
//! or as a slash command, event or interaction; and what the fake Slack received.

use super::*;

/// What the server answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    #[allow(dead_code)]
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// How a test signs a request.
#[derive(Clone, Copy, Debug)]
pub enum Signing<'a> {
    Valid,
    At(i64),
    Secret(&'a str),
    Missing,
    Garbage,
    /// These exact headers, e.g. a captured request replayed later.
    Exact {
        ts: &'a str,
        sig: &'a str,
    },
}

/// Sends a request to a wb listening on `addr`, signed as `signing` says.
pub async fn raw_to(
    addr: std::net::SocketAddr,
    verb: &str,
    p: &str,
    content_type: &str,
    body: Vec<u8>,
    signing: Signing<'_>,
) -> Answer {
    try_raw_to(addr, verb, p, content_type, body, signing)
        .await
        .expect("request sent")
}

/// [`raw_to`], with a connection that ends without an answer (the server
/// was killed) as an error rather than a panic.
pub async fn try_raw_to(
    addr: std::net::SocketAddr,
    verb: &str,
    p: &str,
    content_type: &str,
    body: Vec<u8>,
    signing: Signing<'_>,
) -> Result<Answer, String> {
    let mut builder = http::Request::builder()
        .method(verb)
        .uri(format!("http://{addr}{p}"))
        .header("content-type", content_type);
    let (secret, ts) = match signing {
        Signing::Valid => (Some(SECRET), now()),
        Signing::At(ts) => (Some(SECRET), ts),
        Signing::Secret(s) => (Some(s), now()),
        Signing::Missing => (None, now()),
        Signing::Garbage | Signing::Exact { .. } => (None, now()),
    };
    if let Some(secret) = secret {
        let ts = ts.to_string();
        let sig = wb::http::signature::sign(secret, &ts, &body);
        builder = builder
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig);
    } else if let Signing::Exact { ts, sig } = signing {
        builder = builder
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig);
    } else if matches!(signing, Signing::Garbage) {
        builder = builder
            .header("x-slack-request-timestamp", now().to_string())
            .header("x-slack-signature", "v0=deadbeef");
    }
    let req = builder.body(Full::new(Bytes::from(body))).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("server answered in time")
        .map_err(|e| format!("{e:?}"))?;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("{e:?}"))?
        .to_bytes();
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A GET on a wb listening on `addr`, with extra headers.
pub async fn get_to(addr: std::net::SocketAddr, p: &str, headers: &[(&str, &str)]) -> Answer {
    let mut builder = http::Request::builder()
        .method("GET")
        .uri(format!("http://{addr}{p}"));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let req = builder.body(Full::new(Bytes::new())).expect("request");
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let res = tokio::time::timeout(Duration::from_secs(15), client.request(req))
        .await
        .expect("server answered in time")
        .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A signed `/wb` command body from USER in CHANNEL.
pub fn command_form(text: &str, response_url: &str) -> Vec<u8> {
    serde_urlencoded::to_string([
        ("token", "gIkuvaNzQIHg97ATvDxqgjtO"),
        ("team_id", TEAM),
        ("team_domain", "example"),
        ("channel_id", CHANNEL),
        ("channel_name", "product"),
        ("user_id", USER),
        ("user_name", "steve"),
        ("command", "/wb"),
        ("text", text),
        ("api_app_id", "A123456"),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ])
    .expect("form")
    .into_bytes()
}

impl TestApp {
    /// A plain GET on wb serve's address (no signature).
    pub async fn get(&self, p: &str) -> Answer {
        raw_to(
            self.addr,
            "GET",
            p,
            "text/plain",
            Vec::new(),
            Signing::Missing,
        )
        .await
    }

    /// A GET on wb serve's address with extra headers (a browser's cookie).
    pub async fn get_with(&self, p: &str, headers: &[(&str, &str)]) -> Answer {
        get_to(self.addr, p, headers).await
    }

    /// The bearer token of every request the fake received for `method`.
    pub async fn tokens_of(&self, slack_method: &str) -> Vec<String> {
        let wanted = format!("/api/{slack_method}");
        self.slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == wanted)
            .map(|r| {
                r.headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    /// A plain GET on the admin address (`Options::admin`).
    pub async fn admin_get(&self, p: &str) -> Answer {
        let admin = self
            .admin
            .expect("started with Options { admin: true, .. }");
        raw_to(admin, "GET", p, "text/plain", Vec::new(), Signing::Missing).await
    }

    pub async fn raw(
        &self,
        verb: &str,
        p: &str,
        content_type: &str,
        body: Vec<u8>,
        signing: Signing<'_>,
    ) -> Answer {
        raw_to(self.addr, verb, p, content_type, body, signing).await
    }

    /// A `/wb` slash command from USER in CHANNEL, signed.
    pub async fn command(&self, text: &str) -> Answer {
        self.command_signed(text, Signing::Valid).await
    }

    pub fn command_body(&self, text: &str) -> Vec<u8> {
        command_form(text, &format!("{}/response", self.slack.uri()))
    }

    pub async fn command_signed(&self, text: &str, signing: Signing<'_>) -> Answer {
        let body = self.command_body(text);
        self.raw(
            "POST",
            "/slack/commands",
            "application/x-www-form-urlencoded",
            body,
            signing,
        )
        .await
    }

    pub async fn event(&self, payload: &Value) -> Answer {
        self.raw(
            "POST",
            "/slack/events",
            "application/json",
            payload.to_string().into_bytes(),
            Signing::Valid,
        )
        .await
    }

    pub async fn interaction(&self, payload: &Value) -> Answer {
        let body = serde_urlencoded::to_string([("payload", payload.to_string())])
            .expect("form")
            .into_bytes();
        self.raw(
            "POST",
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
            Signing::Valid,
        )
        .await
    }

    /// Requests the fake Slack received for `method` (e.g. "chat.postMessage"), bodies as JSON.
    pub async fn calls(&self, slack_method: &str) -> Vec<Value> {
        let wanted = format!("/api/{slack_method}");
        self.slack
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| {
                r.url.path() == wanted
                    || (slack_method == "response_url" && r.url.path() == "/response")
            })
            .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
            .collect()
    }
}

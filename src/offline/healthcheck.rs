//! `wb healthcheck`: asks a running wb's `/readyz` (or `--path`) on its
//! operations address (`WB_ADMIN_LISTEN`) or, without one, on `WB_LISTEN`,
//! and exits 0 when it answers 200. It is the container's health check in
//! both modes, so the runtime image needs no curl.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::cli::{CliError, HealthcheckArgs};

/// Docker's own timeout is 3 s in our image; answer before it.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The URL to ask: the admin address when set, else the listen address, with
/// a wildcard host (0.0.0.0, ::) replaced by loopback.
pub fn url(args: &HealthcheckArgs) -> Result<String, CliError> {
    let (variable, raw) = match args.admin_listen.as_deref().map(str::trim) {
        Some(admin) if !admin.is_empty() => ("WB_ADMIN_LISTEN", admin),
        _ => ("WB_LISTEN", args.listen.trim()),
    };
    let mut addr: SocketAddr = raw.parse().map_err(|_| {
        CliError::new(
            2,
            format!("{variable}: `{raw}` is not an address like 127.0.0.1:9090"),
        )
    })?;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    if !args.path.starts_with('/') {
        return Err(CliError::new(2, "--path: must start with /, like /readyz"));
    }
    Ok(format!("http://{addr}{}", args.path))
}

/// Exit 0 when wb answers 200; 1 (with why) otherwise.
pub async fn healthcheck(args: &HealthcheckArgs) -> Result<(), CliError> {
    let url = url(args)?;
    let request = http::Request::get(&url)
        .body(Empty::<Bytes>::new())
        .map_err(|e| CliError::new(2, format!("{url}: {e}")))?;
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let answer = tokio::time::timeout(TIMEOUT, async {
        let res = client.request(request).await?;
        let status = res.status();
        let body = res.into_body().collect().await?.to_bytes();
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((status, body))
    })
    .await;
    match answer {
        Ok(Ok((status, body))) => {
            let body = String::from_utf8_lossy(&body);
            print!("{body}");
            if status.is_success() {
                Ok(())
            } else {
                Err(CliError::new(1, format!("{url} answered {status}")))
            }
        }
        Ok(Err(err)) => Err(CliError::new(1, format!("cannot reach wb at {url}: {err}"))),
        Err(_) => Err(CliError::new(
            1,
            format!("{url} did not answer within {TIMEOUT:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(admin: Option<&str>, listen: &str) -> HealthcheckArgs {
        HealthcheckArgs {
            admin_listen: admin.map(str::to_string),
            listen: listen.into(),
            path: "/readyz".into(),
        }
    }

    #[test]
    fn asks_the_admin_address_first_and_loopback_for_wildcards() {
        let cases = [
            (
                Some("0.0.0.0:9090"),
                "0.0.0.0:3000",
                "http://127.0.0.1:9090/readyz",
            ),
            (Some(""), "0.0.0.0:3000", "http://127.0.0.1:3000/readyz"),
            (None, "[::]:3000", "http://[::1]:3000/readyz"),
            (None, "10.0.0.5:3000", "http://10.0.0.5:3000/readyz"),
        ];
        for (admin, listen, want) in cases {
            assert_eq!(url(&args(admin, listen)).expect("url"), want);
        }
        let err = url(&args(Some("nowhere"), "0.0.0.0:3000")).expect_err("bad");
        assert_eq!(err.code, 2);
        assert!(
            err.message.starts_with("WB_ADMIN_LISTEN"),
            "{}",
            err.message
        );
    }
}

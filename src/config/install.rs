//! The settings of installing wb in many workspaces (SPEC §5.4):
//! `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`, `WB_PUBLIC_URL`,
//! `WB_ENCRYPTION_KEY` (and `WB_ENCRYPTION_KEY_PREVIOUS` while rotating it),
//! `WB_PURGE_ON_UNINSTALL`. Without a client id wb runs on `SLACK_BOT_TOKEN`
//! alone, as before.

use std::fmt;

use base64::Engine;

use super::{ConfigError, Secret};

/// Length of an encryption key: 256 bits.
pub const KEY_BYTES: usize = 32;

/// The app's OAuth credentials and where Slack sends installers back.
#[derive(Debug, Clone)]
pub struct InstallConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// `WB_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
}

impl InstallConfig {
    /// `WB_PUBLIC_URL/slack/oauth_redirect`: the redirect URI in the
    /// authorize link and in `oauth.v2.access` (they must match).
    pub fn redirect_uri(&self) -> String {
        format!("{}/slack/oauth_redirect", self.public_url)
    }

    /// `WB_PUBLIC_URL/slack/install`: where installers start (again).
    pub fn install_url(&self) -> String {
        format!("{}/slack/install", self.public_url)
    }

    /// The redirect's path as the browser sees it (behind a proxy that
    /// serves wb under a prefix, the prefix included): the state cookie's
    /// `Path`.
    pub fn redirect_path(&self) -> String {
        let prefix = url::Url::parse(&self.public_url)
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        format!("{prefix}/slack/oauth_redirect")
    }

    /// The state cookie is `Secure` when wb is reached over https.
    pub fn secure_cookie(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// `WB_ENCRYPTION_KEY` and the previous keys still accepted for opening.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    pub current: [u8; KEY_BYTES],
    pub previous: Vec<[u8; KEY_BYTES]>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The raw install settings as given (flags or environment).
#[derive(Debug, Clone, Default)]
pub struct RawInstall {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub public_url: Option<String>,
    pub encryption_key: Option<String>,
    pub previous_keys: Option<String>,
    pub purge_on_uninstall: Option<String>,
}

/// What the install settings come to.
#[derive(Debug, Clone)]
pub struct Install {
    pub install: Option<InstallConfig>,
    pub keys: Option<Keys>,
    pub purge_on_uninstall: bool,
}

fn given(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Checks the install settings; the error names the first bad variable and
/// never quotes a secret.
pub fn validate(raw: RawInstall) -> Result<Install, ConfigError> {
    let keys = match given(raw.encryption_key) {
        None => None,
        Some(text) => {
            let current = decode_key(&text).map_err(|problem| {
                ConfigError::new(
                    "WB_ENCRYPTION_KEY",
                    format!("{problem}; make one with `openssl rand -base64 32`"),
                )
            })?;
            let mut previous = Vec::new();
            for part in given(raw.previous_keys)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                previous.push(decode_key(part).map_err(|problem| {
                    ConfigError::new(
                        "WB_ENCRYPTION_KEY_PREVIOUS",
                        format!("one of its keys {problem} (comma-separated base64 keys)"),
                    )
                })?);
            }
            Some(Keys { current, previous })
        }
    };
    let purge_on_uninstall = match given(raw.purge_on_uninstall)
        .map(|v| v.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("false" | "0" | "no" | "off") => false,
        Some("true" | "1" | "yes" | "on") => true,
        Some(other) => {
            return Err(ConfigError::new(
                "WB_PURGE_ON_UNINSTALL",
                format!("`{other}` is neither true nor false"),
            ))
        }
    };
    let client_secret = given(raw.client_secret);
    let Some(client_id) = given(raw.client_id) else {
        if client_secret.is_some() {
            return Err(ConfigError::new(
                "SLACK_CLIENT_ID",
                "missing while SLACK_CLIENT_SECRET is set; set both (Basic Information → App Credentials) to install wb in several workspaces",
            ));
        }
        return Ok(Install {
            install: None,
            keys,
            purge_on_uninstall,
        });
    };
    let Some(client_secret) = client_secret else {
        return Err(ConfigError::new(
            "SLACK_CLIENT_SECRET",
            "missing; set it to the app's Client Secret (Basic Information → App Credentials)",
        ));
    };
    let public_url = public_url(raw.public_url)?;
    if keys.is_none() {
        return Err(ConfigError::new(
            "WB_ENCRYPTION_KEY",
            "missing; installed workspaces' tokens are stored encrypted: set it to 32 random bytes in base64 (`openssl rand -base64 32`)",
        ));
    }
    Ok(Install {
        install: Some(InstallConfig {
            client_id,
            client_secret: Secret::new(client_secret),
            public_url,
        }),
        keys,
        purge_on_uninstall,
    })
}

fn public_url(raw: Option<String>) -> Result<String, ConfigError> {
    let Some(raw) = given(raw) else {
        return Err(ConfigError::new(
            "WB_PUBLIC_URL",
            "missing; set it to the https address Slack reaches wb at (the redirect URL is WB_PUBLIC_URL/slack/oauth_redirect)",
        ));
    };
    let trimmed = raw.trim_end_matches('/');
    match url::Url::parse(trimmed) {
        Ok(u)
            if (u.scheme() == "https" || u.scheme() == "http")
                && u.host().is_some()
                && u.query().is_none()
                && u.fragment().is_none() =>
        {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::new(
            "WB_PUBLIC_URL",
            format!("`{raw}` is not a base URL like https://wb.example.com"),
        )),
    }
}

/// Decodes an encryption key: base64 (standard or URL-safe, padded or not)
/// of exactly 32 bytes. The error says what was wrong, never the value.
pub fn decode_key(text: &str) -> Result<[u8; KEY_BYTES], String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    let bytes = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .ok_or_else(|| "is not base64".to_string())?;
    bytes.as_slice().try_into().map_err(|_| {
        format!(
            "decodes to {} bytes; it must be the base64 of exactly {KEY_BYTES} bytes",
            bytes.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; 32])
    }

    fn full() -> RawInstall {
        RawInstall {
            client_id: Some("123.456".into()),
            client_secret: Some("cl13nt-s3cret".into()),
            public_url: Some("https://wb.example.com/".into()),
            encryption_key: Some(key(1)),
            previous_keys: None,
            purge_on_uninstall: None,
        }
    }

    #[test]
    fn a_complete_install_configuration() {
        let got = validate(full()).expect("valid");
        let install = got.install.expect("install");
        assert_eq!(install.public_url, "https://wb.example.com");
        assert_eq!(
            install.redirect_uri(),
            "https://wb.example.com/slack/oauth_redirect"
        );
        assert!(install.secure_cookie());
        assert_eq!(install.redirect_path(), "/slack/oauth_redirect");
        assert_eq!(
            install.install_url(),
            "https://wb.example.com/slack/install"
        );
        let mut behind_a_proxy = full();
        behind_a_proxy.public_url = Some("http://example.com/tools/wb/".into());
        let proxied = validate(behind_a_proxy)
            .expect("valid")
            .install
            .expect("install");
        assert_eq!(proxied.redirect_path(), "/tools/wb/slack/oauth_redirect");
        assert!(!proxied.secure_cookie());
        assert_eq!(got.keys.expect("keys").current, [1; 32]);
        assert!(!got.purge_on_uninstall);
        let shown = format!("{:?}", validate(full()).expect("valid"));
        assert!(
            !shown.contains("cl13nt-s3cret") && !shown.contains(&key(1)),
            "{shown}"
        );
    }

    #[test]
    fn without_a_client_id_nothing_else_is_needed() {
        let got = validate(RawInstall::default()).expect("single-token mode");
        assert!(got.install.is_none() && got.keys.is_none());
    }

    #[test]
    fn each_bad_value_names_its_variable_and_never_echoes_a_key() {
        type Case = (Box<dyn Fn(&mut RawInstall)>, &'static str);
        let short = STANDARD.encode([1_u8; 31]);
        let long = STANDARD.encode([1_u8; 33]);
        let cases: Vec<Case> = vec![
            (
                Box::new(move |r| r.encryption_key = Some(short.clone())),
                "WB_ENCRYPTION_KEY",
            ),
            (
                Box::new(move |r| r.encryption_key = Some(long.clone())),
                "WB_ENCRYPTION_KEY",
            ),
            (
                Box::new(|r| r.encryption_key = Some("not-base64!!".into())),
                "WB_ENCRYPTION_KEY",
            ),
            (Box::new(|r| r.encryption_key = None), "WB_ENCRYPTION_KEY"),
            (
                Box::new(|r| r.previous_keys = Some(format!("{},abc", key(2)))),
                "WB_ENCRYPTION_KEY_PREVIOUS",
            ),
            (Box::new(|r| r.client_secret = None), "SLACK_CLIENT_SECRET"),
            (
                Box::new(|r| r.client_id = Some(" ".into())),
                "SLACK_CLIENT_ID",
            ),
            (Box::new(|r| r.public_url = None), "WB_PUBLIC_URL"),
            (
                Box::new(|r| r.public_url = Some("ftp://x".into())),
                "WB_PUBLIC_URL",
            ),
            (
                Box::new(|r| r.purge_on_uninstall = Some("maybe".into())),
                "WB_PURGE_ON_UNINSTALL",
            ),
        ];
        for (change, variable) in cases {
            let mut raw = full();
            change(&mut raw);
            let secret = raw.encryption_key.clone().unwrap_or_default();
            let err = validate(raw).expect_err(variable);
            assert_eq!(err.variable, variable, "{err}");
            if !secret.is_empty() {
                assert!(!err.to_string().contains(&secret), "{err}");
            }
        }
    }

    #[test]
    fn keys_decode_from_any_base64_and_previous_keys_are_listed() {
        assert_eq!(
            decode_key(&URL_SAFE_NO_PAD.encode([250_u8; 32])),
            Ok([250; 32])
        );
        assert!(decode_key("").is_err());
        let mut raw = full();
        raw.previous_keys = Some(format!(" {} , {} ", key(2), key(3)));
        raw.purge_on_uninstall = Some("TRUE".into());
        let got = validate(raw).expect("valid");
        assert_eq!(got.keys.expect("keys").previous, vec![[2; 32], [3; 32]]);
        assert!(got.purge_on_uninstall);
    }
}

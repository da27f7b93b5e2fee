//! Unit tests of the configuration: each bad value names its variable, secrets never print.
use super::*;

fn args() -> SlackArgs {
    SlackArgs {
        db: DbArgs {
            database_url: "sqlite://wb.db".into(),
            pg_pool_size: 4,
            pg_statement_timeout_ms: 5_000,
            pg_connect_timeout_ms: 2_000,
        },
        signing_secret: Some("s3cret".into()),
        bot_token: Some("xoxb-1".into()),
        app_token: None,
        listen: "127.0.0.1:0".into(),
        slack_api_url: "https://slack.com/api/".into(),
        admin_listen: None,
        slack_pacing: "on".into(),
        backlog_bound_ms: "2000".into(),
        client_id: None,
        client_secret: None,
        public_url: None,
        encryption_key: None,
        encryption_key_previous: None,
        purge_on_uninstall: None,
    }
}

#[test]
fn secrets_never_print() {
    let cfg = Config::from_args(args(), Mode::Http).expect("valid");
    let shown = format!("{cfg:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("xoxb-1"),
        "{shown}"
    );
    assert_eq!(cfg.slack_api_url, "https://slack.com/api");
}

#[test]
fn each_bad_value_names_its_variable() {
    type Case = (Box<dyn Fn(&mut SlackArgs)>, Mode, &'static str);
    let cases: Vec<Case> = vec![
        (
            Box::new(|a| a.bot_token = None),
            Mode::Http,
            "SLACK_BOT_TOKEN",
        ),
        (
            Box::new(|a| a.bot_token = Some("xoxp-1".into())),
            Mode::Http,
            "SLACK_BOT_TOKEN",
        ),
        (
            Box::new(|a| a.signing_secret = Some(" ".into())),
            Mode::Http,
            "SLACK_SIGNING_SECRET",
        ),
        (
            Box::new(|a| a.app_token = None),
            Mode::Socket,
            "SLACK_APP_TOKEN",
        ),
        (
            Box::new(|a| a.app_token = Some("xoxb-2".into())),
            Mode::Socket,
            "SLACK_APP_TOKEN",
        ),
        (
            Box::new(|a| a.listen = "nowhere".into()),
            Mode::Http,
            "WB_LISTEN",
        ),
        (
            Box::new(|a| a.slack_api_url = "ftp://x".into()),
            Mode::Http,
            "SLACK_API_URL",
        ),
        (
            Box::new(|a| a.admin_listen = Some("localhost".into())),
            Mode::Http,
            "WB_ADMIN_LISTEN",
        ),
        (
            Box::new(|a| a.backlog_bound_ms = "2s".into()),
            Mode::Http,
            "WB_BACKLOG_BOUND_MS",
        ),
        (
            Box::new(|a| a.backlog_bound_ms = "-1".into()),
            Mode::Http,
            "WB_BACKLOG_BOUND_MS",
        ),
        (
            Box::new(|a| a.slack_pacing = "sometimes".into()),
            Mode::Http,
            "WB_SLACK_PACING",
        ),
        (
            Box::new(|a| a.db.database_url = "mysql://x".into()),
            Mode::Http,
            "DATABASE_URL",
        ),
        (
            Box::new(|a| a.db.database_url = "sqlite::memory:".into()),
            Mode::Http,
            "DATABASE_URL",
        ),
        (
            Box::new(|a| a.db.database_url = "sqlite://wb.db?mode=memory".into()),
            Mode::Http,
            "DATABASE_URL",
        ),
    ];
    for (change, mode, variable) in cases {
        let mut a = args();
        change(&mut a);
        let err = Config::from_args(a, mode).expect_err(variable);
        assert_eq!(err.variable, variable);
        assert!(err.to_string().starts_with(variable));
    }
}

#[test]
fn admin_listen_is_off_unless_set_and_pacing_on_by_default() {
    let cfg = Config::from_args(args(), Mode::Http).expect("valid");
    assert_eq!((cfg.admin_listen, cfg.pacing), (None, true));
    let mut a = args();
    a.admin_listen = Some(" 127.0.0.1:9090 ".into());
    a.slack_pacing = "off".into();
    let cfg = Config::from_args(a, Mode::Http).expect("valid");
    assert_eq!(cfg.admin_listen, "127.0.0.1:9090".parse().ok());
    assert!(!cfg.pacing);
    let mut a = args();
    a.admin_listen = Some(String::new());
    assert_eq!(
        Config::from_args(a, Mode::Http)
            .expect("valid")
            .admin_listen,
        None
    );
}

#[test]
fn log_formats() {
    assert_eq!(LogFormat::parse("JSON").expect("json"), LogFormat::Json);
    assert_eq!(LogFormat::parse("").expect("default"), LogFormat::Text);
    let err = LogFormat::parse("xml").expect_err("xml");
    assert_eq!(err.variable, "WB_LOG_FORMAT");
}

#[test]
fn with_a_client_id_the_bot_token_is_optional_and_the_key_is_checked() {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD.encode([5_u8; 32]);
    let mut a = args();
    a.bot_token = None;
    a.client_id = Some("1.2".into());
    a.client_secret = Some("shh".into());
    a.public_url = Some("https://wb.example.com".into());
    a.encryption_key = Some(key.clone());
    let cfg = Config::from_args(a.clone(), Mode::Http).expect("oauth only");
    assert!(cfg.bot_token.is_none() && cfg.install.is_some());
    let shown = format!("{cfg:?}");
    assert!(!shown.contains("shh") && !shown.contains(&key), "{shown}");
    a.encryption_key = Some(base64::engine::general_purpose::STANDARD.encode([5_u8; 8]));
    let err = Config::from_args(a, Mode::Http).expect_err("short key");
    assert_eq!(err.variable, "WB_ENCRYPTION_KEY");
    // Without a client id, the bot token is required as before.
    let mut plain = args();
    plain.bot_token = Some(String::new());
    assert_eq!(
        Config::from_args(plain, Mode::Http)
            .expect_err("no token")
            .variable,
        "SLACK_BOT_TOKEN"
    );
}

#[test]
fn socket_mode_does_not_need_the_signing_secret() {
    let mut a = args();
    a.signing_secret = None;
    a.app_token = Some("xapp-1".into());
    assert!(Config::from_args(a, Mode::Socket).is_ok());
}

#[test]
fn a_database_urls_password_never_reaches_a_message() {
    let url = "postgres://wb:hunter2@db.internal:5432/wb";
    let shown = super::redacted_database_url(url);
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("db.internal"), "{shown}");
    assert_eq!(
        super::redacted_database_url("sqlite://wb.db"),
        "sqlite://wb.db"
    );
    let config = Config::single_token(
        url.into(),
        Secret::new("s"),
        Secret::new("xoxb-1"),
        "https://slack.com/api".into(),
    );
    assert!(!format!("{config:?}").contains("hunter2"));
}

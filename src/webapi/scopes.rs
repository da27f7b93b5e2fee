//! Every Web API method wb calls, with the bot scope it needs. The client
//! refuses a method missing here, and the manifest test checks that
//! `manifest.yml` requests exactly the scopes this table (and the events wb
//! subscribes to) need: calling a new method means adding it here, and
//! adding its scope to the manifest.

/// `(method, scope)`; `None` when Slack needs no scope for it.
pub const METHODS: &[(&str, Option<&str>)] = &[
    ("chat.postMessage", Some("chat:write")),
    ("chat.update", Some("chat:write")),
    ("chat.postEphemeral", Some("chat:write")),
    ("chat.getPermalink", None),
    ("reactions.add", Some("reactions:write")),
    ("reactions.remove", Some("reactions:write")),
    ("conversations.join", Some("channels:join")),
    // Finding out whether a post whose outcome is unknown reached Slack
    // (private channels need groups:history, which the message events need too).
    ("conversations.history", Some("channels:history")),
    ("conversations.replies", Some("channels:history")),
    ("views.open", None),
    ("views.update", None),
    ("views.push", None),
    ("views.publish", None),
    ("users.info", Some("users:read")),
    ("files.getUploadURLExternal", Some("files:write")),
    ("files.completeUploadExternal", Some("files:write")),
    ("canvases.create", Some("canvases:write")),
    // Whose token SLACK_BOT_TOKEN is, when installs serve other workspaces.
    ("auth.test", None),
    // Installs and token rotation (client credentials, no token).
    ("oauth.v2.access", None),
];

/// True when wb may call `method` (it is in [`METHODS`]).
pub fn known(method: &str) -> bool {
    METHODS.iter().any(|(m, _)| *m == method)
}

/// `method` as the `'static` name in [`METHODS`] (`"other"` when it is not
/// there), for labels that must stay a closed set.
pub fn static_name(method: &str) -> &'static str {
    METHODS
        .iter()
        .find(|(m, _)| *m == method)
        .map(|(m, _)| *m)
        .unwrap_or("other")
}

/// The scopes [`METHODS`] need, sorted and without repeats.
pub fn method_scopes() -> Vec<&'static str> {
    let mut scopes: Vec<&str> = METHODS.iter().filter_map(|(_, s)| *s).collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}

//! The pages of installing wb (`GET /slack/install` and what
//! `/slack/oauth_redirect` answers): small, self-contained HTML — inline
//! styles, no script, no external resource — with everything that comes
//! from outside escaped.

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str =
    "body{font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;\
color:#1d1c1d;max-width:34rem;margin:4rem auto;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.5rem}\
a.add{display:inline-block;margin:1rem 0;padding:.7rem 1.2rem;border-radius:6px;background:#4a154b;\
color:#fff;font-weight:700;text-decoration:none}\
code{font-size:.85rem;background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}\
.muted{color:#616061;font-size:.9rem}";

/// A whole page around `body` (already HTML).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>{}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n",
        escape_html(title)
    )
}

/// The install page: what wb is, the *Add to Slack* link (Slack's authorize
/// URL with the client id, scopes, redirect URI and state), and the bot
/// scopes it asks for.
pub fn install_page(authorize_url: &str, scopes: &[&str]) -> String {
    let listed: Vec<String> = scopes
        .iter()
        .map(|s| format!("<code>{}</code>", escape_html(s)))
        .collect();
    let body = format!(
        "<h1>Add wb to your Slack workspace</h1>\n\
<p>wb runs Amazon's Working Backwards process in Slack threads: a press release, an FAQ, \
a review, a decision.</p>\n\
<p><a class=\"add\" href=\"{}\">Add to Slack</a></p>\n\
<p class=\"muted\">wb asks for these bot permissions: {}.</p>\n\
<p class=\"muted\">This link works once, in this browser, for ten minutes; reload the page for a new one.</p>",
        escape_html(authorize_url),
        listed.join(", ")
    );
    page("Add wb to Slack", &body)
}

/// After a successful install: where wb now is, and a link to it.
pub fn installed_page(workspace: &str, team_id: Option<&str>) -> String {
    let link = match team_id {
        Some(team) => format!(
            "<p><a class=\"add\" href=\"https://app.slack.com/client/{}\">Open {}</a></p>\n",
            escape_html(team),
            escape_html(workspace)
        ),
        None => String::new(),
    };
    let body = format!(
        "<h1>wb is installed in {}</h1>\n\
<p>Start a session in any channel: <code>/wb pressrelease &lt;your idea&gt;</code>. \
Invite wb to private channels with <code>/invite @wb</code>.</p>\n{link}",
        escape_html(workspace)
    );
    page("wb is installed", &body)
}

/// The installer said no on Slack's page.
pub fn denied_page(install_path: &str) -> String {
    let body = format!(
        "<h1>wb was not installed</h1>\n\
<p>You cancelled on Slack's page, so nothing changed in your workspace.</p>\n\
<p><a href=\"{}\">Start again</a> if you change your mind.</p>",
        escape_html(install_path)
    );
    page("wb was not installed", &body)
}

/// Something went wrong: `what` (plain text) and a way to start again.
pub fn error_page(title: &str, what: &str, install_path: &str) -> String {
    let body = format!(
        "<h1>{}</h1>\n<p>{}</p>\n<p><a href=\"{}\">Start the install again</a>.</p>",
        escape_html(title),
        escape_html(what),
        escape_html(install_path)
    );
    page(title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_from_outside_is_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let page = installed_page("<script>alert(1)</script>", Some("T1\"><x"));
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("T1\"><x"));
        let error = error_page("Slack said no", "error `<b>`", "/slack/install");
        assert!(error.contains("error `&lt;b&gt;`"), "{error}");
    }

    #[test]
    fn the_install_page_links_to_slack_and_lists_the_scopes() {
        let url = "https://slack.com/oauth/v2/authorize?client_id=1.2&scope=a,b&state=s";
        let page = install_page(url, &["chat:write", "commands"]);
        assert!(page.contains(
            "href=\"https://slack.com/oauth/v2/authorize?client_id=1.2&amp;scope=a,b&amp;state=s\""
        ));
        assert!(page.contains("<code>chat:write</code>, <code>commands</code>"));
        // Self-contained: nothing loaded from elsewhere, no script.
        for outside in ["<script", "src=", "<link", "@import"] {
            assert!(!page.contains(outside), "{outside}");
        }
    }
}

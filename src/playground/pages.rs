//! What the browser reads: the page's state for one person (`GET /ui/state`),
//! uploaded files and canvases as pages of their own. Text from wb or users
//! is always escaped; an uploaded HTML file is served sandboxed.

use serde_json::{json, Value};

use super::hub::Hub;
use super::world::*;

/// Everything the page shows to `user`: the channel, threads, their own
/// ephemerals, their open modal and Home tab.
pub fn snapshot(hub: &Hub, user: &str, version: u64) -> Value {
    let users: Vec<Value> = hub
        .people
        .iter()
        .map(|p| {
            // The switcher shows "You", "Li", "Sam"; mentions show display names.
            let short = p
                .real_name
                .split_whitespace()
                .next()
                .unwrap_or(&p.real_name);
            json!({"id": p.id, "name": p.display_name, "real_name": p.real_name, "short": short})
        })
        .collect();
    hub.read(|w| {
        let messages: Vec<Value> = w
            .messages
            .iter()
            .map(|m| {
                let files: Vec<Value> = m.files.iter().filter_map(|id| w.files.get(id)).map(|f| {
                    json!({"id": f.id, "title": f.title, "name": f.name, "url": format!("/files/{}", f.id),
                           "size": f.content.as_ref().map_or(0, String::len)})
                }).collect();
                json!({"ts": m.ts, "user": m.user, "name": hub.display_name(&m.user), "bot": m.bot,
                       "text": m.text, "blocks": m.blocks, "thread_ts": m.thread_ts, "files": files,
                       "reactions": m.reactions.iter().map(|r| json!({"name": r.name, "users": r.users})).collect::<Vec<_>>(),
                       "edited": m.edited.is_some(), "subtype": m.subtype,
                       "reply_count": if m.thread_ts.is_none() { w.replies(&m.ts).len() } else { 0 }})
            })
            .collect();
        let ephemerals: Vec<Value> = w.ephemerals.iter().filter(|e| e.user == user).map(|e| {
            json!({"id": e.id, "ts": e.ts, "thread_ts": e.thread_ts, "text": e.text, "blocks": e.blocks,
                   "slackbot": e.slackbot})
        }).collect();
        let stack = w.modals.get(user);
        let modal = stack.and_then(|s| s.last()).map(|v| {
            json!({"id": v.id, "hash": v.hash, "view": v.view, "errors": v.errors,
                   "submitting": v.submitting, "depth": stack.map_or(1, Vec::len)})
        });
        let home = w.homes.get(user).map(|h| json!({"id": h.id, "hash": h.hash, "view": h.view}));
        let canvases: Vec<Value> = w.canvases.iter().map(|c| {
            json!({"id": c.id, "title": c.title, "url": format!("/docs/{TEAM_ID}/{}", c.id)})
        }).collect();
        json!({
            "version": version,
            "team": {"id": TEAM_ID, "name": TEAM_NAME},
            "channel": {"id": CHANNEL_ID, "name": CHANNEL_NAME, "bot_member": w.bot_member},
            "bot": {"id": BOT_USER, "name": BOT_NAME},
            "me": user, "users": users, "messages": messages, "ephemerals": ephemerals,
            "modal": modal, "home": home, "canvases": canvases,
        })
    })
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
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

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body class=\"doc\">\
         <p class=\"banner\">Playground — not connected to Slack</p><main class=\"doc-body\">{body}</main></body></html>",
        escape(title)
    )
}

/// Inline Markdown: `code`, **bold**, *italic* / _italic_, ~~strike~~,
/// [text](http…) links. The text is escaped first; markup only wraps it.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    // A mark with no closing one left is never searched for again: linear
    // time however many unmatched `*` a canvas holds.
    let mut dead = [false; 6];
    while !rest.is_empty() {
        // A backslash makes the next punctuation mark literal (`1\.`, `\*`).
        if let Some(c) = rest
            .strip_prefix('\\')
            .and_then(|a| a.chars().next())
            .filter(char::is_ascii_punctuation)
        {
            out.push_str(&escape(&c.to_string()));
            rest = &rest[1 + c.len_utf8()..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('`').filter(|_| !dead[4]) {
            if let Some(end) = after.find('`') {
                out.push_str(&format!("<code>{}</code>", escape(&after[..end])));
                rest = &after[end + 1..];
                continue;
            }
            dead[4] = true;
        }
        let wraps = [("**", "strong"), ("~~", "del"), ("*", "em"), ("_", "em")];
        let found = wraps.iter().enumerate().find_map(|(i, (mark, tag))| {
            let after = rest.strip_prefix(mark).filter(|_| !dead[i])?;
            match after.find(mark) {
                Some(end) if end > 0 => Some(Ok((*tag, &after[..end], end + 2 * mark.len()))),
                Some(_) => None,
                None => Some(Err(i)),
            }
        });
        match found {
            Some(Ok((tag, inner, len))) => {
                out.push_str(&format!("<{tag}>{}</{tag}>", inline(inner)));
                rest = &rest[len..];
                continue;
            }
            Some(Err(i)) => {
                dead[i] = true;
                continue;
            }
            None => {}
        }
        if let Some(after) = rest.strip_prefix('[').filter(|_| !dead[5]) {
            if let Some((label, tail)) = after.split_once("](") {
                if let Some((url, tail)) = tail.split_once(')') {
                    if url.starts_with("http://")
                        || url.starts_with("https://")
                        || url.starts_with('/')
                    {
                        out.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            escape(url),
                            inline(label)
                        ));
                        rest = tail;
                        continue;
                    }
                }
            } else {
                dead[5] = true;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push_str(&escape(&c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Canvas Markdown as HTML: headings, lists, quotes, code blocks, rules and
/// paragraphs (what `canvases.create` accepts that wb writes).
pub fn markdown(md: &str) -> String {
    let mut html = String::new();
    let mut list: Option<&str> = None;
    let mut code = false;
    let close_list = |html: &mut String, list: &mut Option<&str>| {
        if let Some(tag) = list.take() {
            html.push_str(&format!("</{tag}>"));
        }
    };
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            close_list(&mut html, &mut list);
            html.push_str(if code { "</pre>" } else { "<pre>" });
            code = !code;
            continue;
        }
        if code {
            html.push_str(&escape(line));
            html.push('\n');
            continue;
        }
        let t = line.trim_start();
        let ordered = t
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        let item = t
            .strip_prefix("- ")
            .or(t.strip_prefix("* "))
            .map(|i| ("ul", i))
            .or(ordered.map(|(_, i)| ("ol", i)));
        if let Some((tag, text)) = item {
            if list != Some(tag) {
                close_list(&mut html, &mut list);
                html.push_str(&format!("<{tag}>"));
                list = Some(tag);
            }
            let text = text
                .strip_prefix("[ ] ")
                .or(text.strip_prefix("[x] "))
                .unwrap_or(text);
            html.push_str(&format!("<li>{}</li>", inline(text)));
            continue;
        }
        close_list(&mut html, &mut list);
        let level = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && t[level..].starts_with(' ') {
            html.push_str(&format!(
                "<h{level}>{}</h{level}>",
                inline(t[level..].trim())
            ));
        } else if let Some(q) = t.strip_prefix('>') {
            html.push_str(&format!(
                "<blockquote>{}</blockquote>",
                inline(q.trim_start())
            ));
        } else if t == "---" || t == "***" {
            html.push_str("<hr>");
        } else if !t.is_empty() {
            html.push_str(&format!("<p>{}</p>", inline(t)));
        }
    }
    close_list(&mut html, &mut list);
    if code {
        html.push_str("</pre>");
    }
    html
}

/// The canvas page, if there is such a canvas.
pub fn canvas(hub: &Hub, id: &str) -> Option<String> {
    hub.read(|w| w.canvases.iter().find(|c| c.id == id).cloned())
        .map(|c| {
            page(
                &c.title,
                &format!(
                    "<article class=\"canvas\" aria-label=\"Canvas\"><h1>{}</h1>{}</article>",
                    escape(&c.title),
                    markdown(&c.markdown)
                ),
            )
        })
}

/// An uploaded file: its content type and bytes, if uploaded.
pub fn file(hub: &Hub, id: &str) -> Option<(String, String, String)> {
    hub.read(|w| {
        w.files.get(id).and_then(|f| {
            f.content
                .clone()
                .map(|c| (f.name.clone(), f.content_type.clone(), c))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped_then_formatted() {
        let html = markdown("## 1\\. Fridge \\*\n# Fridge <cam>\n\n- **bold** and *it* `x<y`\n- [link](https://e.x/?a=1&b=2)\n1. one\n> quote & more\n[bad](javascript:alert(1))");
        assert!(
            html.contains("<h2>1. Fridge *</h2><h1>Fridge &lt;cam&gt;</h1>"),
            "{html}"
        );
        assert!(
            html.contains("<ul><li><strong>bold</strong> and <em>it</em> <code>x&lt;y</code></li>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://e.x/?a=1&amp;b=2\">link</a>"),
            "{html}"
        );
        assert!(
            html.contains("</ul><ol><li>one</li></ol><blockquote>quote &amp; more</blockquote>"),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript"), "{html}");
        let many = "[".repeat(200_000);
        assert_eq!(markdown(&many), format!("<p>{many}</p>"), "linear time");
    }
}

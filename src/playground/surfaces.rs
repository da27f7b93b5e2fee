//! The Web API methods of surfaces and documents: `views.open/push/update/
//! publish` (modals in a per-user stack, Home tabs per user, trigger_ids that
//! work once within 3 s), Slack's three-step file upload and `canvases.create`.

use serde_json::{json, Value};

use super::calls::{channel_arg, check_blocks, post_bot, Args};
use super::hub::Hub;
use super::payloads;
use super::world::*;

/// Largest canvas Markdown (Slack: 1 MiB).
const CANVAS_MAX: usize = 1024 * 1024;
/// Largest file the playground keeps.
pub const FILE_MAX: usize = 16 * 1024 * 1024;
/// Slack's cap on a modal stack.
const STACK_MAX: usize = 3;

/// `None` when `method` is not one of these.
pub fn handle(hub: &Hub, method: &str, args: &Args) -> Option<Result<Value, SlackError>> {
    Some(match method {
        "views.open" => open(hub, args, false),
        "views.push" => open(hub, args, true),
        "views.update" => update(hub, args),
        "views.publish" => publish(hub, args),
        "files.getUploadURLExternal" => upload_url(hub, args),
        "files.completeUploadExternal" => complete_upload(hub, args),
        "canvases.create" | "conversations.canvases.create" => canvas(hub, args),
        _ => return None,
    })
}

/// Checks an app's view and adds the fields Slack adds.
pub fn prepare(
    view: Option<&Value>,
    kind: &str,
    id: &str,
    hash: &str,
    root: Option<&str>,
    previous: Option<&str>,
) -> Result<Value, SlackError> {
    let mut v = view
        .filter(|v| v.is_object())
        .cloned()
        .ok_or("invalid_arguments")?;
    if v["type"] != kind {
        return Err("invalid_arguments");
    }
    v["blocks"] = check_blocks(Some(&v["blocks"]), 100)?.unwrap_or_else(|| json!([]));
    if kind == "modal" {
        let title = v["title"]["text"].as_str().ok_or("invalid_arguments")?;
        if title.chars().count() > 24 {
            return Err("invalid_arguments");
        }
    }
    if v["private_metadata"]
        .as_str()
        .is_some_and(|m| m.chars().count() > 3000)
    {
        return Err("invalid_arguments");
    }
    for (key, default) in [
        ("private_metadata", json!("")),
        ("callback_id", json!("")),
        ("external_id", json!("")),
        ("clear_on_close", json!(false)),
        ("notify_on_close", json!(false)),
    ] {
        if v.get(key).is_none_or(Value::is_null) {
            v[key] = default;
        }
    }
    v["id"] = json!(id);
    v["team_id"] = json!(TEAM_ID);
    v["hash"] = json!(hash);
    v["state"] = json!({"values": {}});
    v["root_view_id"] = json!(root.unwrap_or(id));
    v["previous_view_id"] = json!(previous);
    v["app_id"] = json!(APP_ID);
    v["app_installed_team_id"] = json!(TEAM_ID);
    v["bot_id"] = json!(BOT_ID);
    Ok(v)
}

fn open(hub: &Hub, args: &Args, push: bool) -> Result<Value, SlackError> {
    let trigger = args.required("trigger_id")?.to_string();
    let view = args.get("view").cloned();
    hub.change(|w| {
        let user = w.use_trigger(&trigger)?;
        let (id, hash) = w.new_view_ids();
        let stack = w.modals.entry(user.clone()).or_default();
        let (root, previous) = match (push, stack.first(), stack.last()) {
            (true, Some(first), Some(last)) => (Some(first.id.clone()), Some(last.id.clone())),
            (true, _, _) => return Err("invalid_arguments"),
            (false, _, _) => (None, None),
        };
        if push && stack.len() >= STACK_MAX {
            return Err("push_limit_reached");
        }
        let v = prepare(
            view.as_ref(),
            "modal",
            &id,
            &hash,
            root.as_deref(),
            previous.as_deref(),
        )?;
        if !push {
            stack.clear();
        }
        stack.push(OpenView {
            id,
            hash,
            user,
            view: v.clone(),
            errors: Default::default(),
            submitting: false,
        });
        Ok(json!({"view": v}))
    })
}

fn update(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let id = args.str("view_id").map(str::to_string);
    let external = args.str("external_id").map(str::to_string);
    if id.is_none() && external.is_none() {
        return Err("invalid_arguments");
    }
    let hash = args.str("hash").map(str::to_string);
    let view = args.get("view").cloned();
    hub.change(|w| {
        let new_hash = w.new_hash();
        let found = w
            .modals
            .values_mut()
            .flat_map(|s| s.iter_mut())
            .chain(w.homes.values_mut())
            .find(|v| {
                id.as_deref() == Some(v.id.as_str())
                    || (external.is_some() && v.view["external_id"].as_str() == external.as_deref())
            });
        let open = found.ok_or("not_found")?;
        if hash.as_deref().is_some_and(|h| h != open.hash) {
            return Err("hash_conflict");
        }
        let kind = open.view["type"].as_str().unwrap_or("modal").to_string();
        let root = open.view["root_view_id"].as_str().map(str::to_string);
        let previous = open.view["previous_view_id"].as_str().map(str::to_string);
        let v = prepare(
            view.as_ref(),
            &kind,
            &open.id,
            &new_hash,
            root.as_deref(),
            previous.as_deref(),
        )?;
        open.view = v.clone();
        open.hash = new_hash;
        open.errors.clear();
        Ok(json!({"view": v}))
    })
}

fn publish(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let user = args.str("user_id").ok_or("invalid_arguments")?.to_string();
    if hub.person(&user).is_none() {
        return Err("user_not_found");
    }
    let hash = args.str("hash").map(str::to_string);
    let view = args.get("view").cloned();
    hub.change(|w| {
        let existing = w.homes.get(&user).map(|h| (h.id.clone(), h.hash.clone()));
        if let (Some(h), Some((_, current))) = (&hash, &existing) {
            if h != current {
                return Err("hash_conflict");
            }
        }
        let (id, hash) = match existing {
            Some((id, _)) => (id, w.new_hash()),
            None => w.new_view_ids(),
        };
        let v = prepare(view.as_ref(), "home", &id, &hash, None, None)?;
        w.homes.insert(
            user.clone(),
            OpenView {
                id,
                hash,
                user,
                view: v.clone(),
                errors: Default::default(),
                submitting: false,
            },
        );
        Ok(json!({"view": v}))
    })
}

fn upload_url(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let name = args.required("filename")?.to_string();
    let length = args.number("length").ok_or("invalid_arguments")?;
    let length = usize::try_from(length)
        .ok()
        .filter(|n| (1..=FILE_MAX).contains(n))
        .ok_or("invalid_arguments")?;
    let id = hub.quietly(|w| {
        let id = format!("F0PG{:06}", w.next_number());
        w.files.insert(
            id.clone(),
            File {
                id: id.clone(),
                title: name.clone(),
                name,
                length,
                content_type: String::new(),
                content: None,
                shared: false,
            },
        );
        id
    });
    Ok(json!({"upload_url": format!("{}/upload/{id}", hub.base_url), "file_id": id}))
}

/// Stores the bytes POSTed to an upload URL; Slack answers `OK - <size>`.
pub fn receive_upload(
    hub: &Hub,
    id: &str,
    content_type: &str,
    body: &[u8],
) -> Result<String, SlackError> {
    hub.quietly(|w| {
        let f = w.files.get_mut(id).ok_or("file_not_found")?;
        if f.content.is_some() {
            return Err("file_already_uploaded");
        }
        f.content = Some(String::from_utf8_lossy(body).into_owned());
        f.content_type = content_type
            .split(';')
            .next()
            .unwrap_or("text/plain")
            .trim()
            .to_string();
        Ok(format!("OK - {}", body.len()))
    })
}

fn complete_upload(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let list = args
        .get("files")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or("invalid_arguments")?;
    let wanted: Vec<(String, Option<String>)> = list
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                f["title"].as_str().map(str::to_string),
            )
        })
        .collect();
    let share = args.str("channel_id").or(args.str("channels")).is_some();
    if share {
        channel_arg(
            args,
            if args.str("channel_id").is_some() {
                "channel_id"
            } else {
                "channels"
            },
        )?;
        if !hub.read(|w| w.bot_member) {
            return Err("not_in_channel");
        }
    }
    let files = hub.quietly(|w| {
        let mut out = Vec::new();
        for (id, title) in &wanted {
            let f = w.files.get_mut(id).ok_or("file_not_found")?;
            if f.content.as_ref().is_none_or(|c| c.len() != f.length) {
                return Err("file_not_found");
            }
            if let Some(t) = title {
                f.title = t.clone();
            }
            f.shared |= share;
            out.push(payloads::file(hub, f));
        }
        Ok(out)
    })?;
    if share {
        let text = args.str("initial_comment").unwrap_or_default().to_string();
        let thread = args.str("thread_ts").map(str::to_string);
        post_bot(
            hub,
            text,
            None,
            thread,
            wanted.into_iter().map(|(id, _)| id).collect(),
            None,
        );
    }
    Ok(json!({"files": files}))
}

fn canvas(hub: &Hub, args: &Args) -> Result<Value, SlackError> {
    let channel = args.str("channel_id").map(str::to_string);
    if channel.is_some() {
        channel_arg(args, "channel_id")?;
    }
    let content = args.get("document_content");
    let markdown = match content {
        Some(c) if c["type"] == "markdown" => {
            c["markdown"].as_str().unwrap_or_default().to_string()
        }
        Some(_) => return Err("invalid_arguments"),
        None => String::new(),
    };
    if markdown.len() > CANVAS_MAX {
        return Err("canvas_creation_failed");
    }
    let title = args.str("title").unwrap_or("Untitled").to_string();
    let id = hub.change(|w| {
        let id = format!("F0PGC{:05}", w.next_number());
        w.canvases.push(Canvas {
            id: id.clone(),
            title,
            markdown,
            channel_id: channel,
        });
        id
    });
    Ok(json!({"canvas_id": id}))
}

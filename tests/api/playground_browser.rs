//! The playground in headless Chromium (Debian's `chromium` + `chromium-driver`),
//! driven by visible text and roles as a person would: the slash command, a
//! thread reply as Li, 👍 as Sam, the draft modal, the review, the export.
//! Saves a screenshot to `target/playground.png` (with `UPDATE_SCREENSHOT=1`,
//! the README's `docs/playground.png`).
//!
//! Without chromium/chromedriver the test says so and passes, unless
//! `WB_REQUIRE_BROWSER=1` (CI) makes that a failure.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::playground_support::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(15);

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_present() -> bool {
    let present = Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists();
    if !present {
        assert!(
            std::env::var("WB_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "WB_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver"
        );
        eprintln!(
            "skipped: install chromium chromium-driver (Debian packages) to run the browser test"
        );
    }
    present
}

async fn start_driver() -> (Driver, Client, tempfile::TempDir) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let profile = tempfile::tempdir().expect("profile dir");
    let caps = json!({"browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1100",
        format!("--user-data-dir={}", profile.path().display())]}});
    let caps = caps.as_object().cloned().expect("object");
    let start = Instant::now();
    let client = loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(err) => {
                assert!(start.elapsed() < WAIT, "chromedriver did not answer: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    (driver, client, profile)
}

async fn find(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
}

/// Waits until nothing matches `xpath`.
async fn gone(c: &Client, xpath: &str) {
    let start = Instant::now();
    while !c
        .find_all(Locator::XPath(xpath))
        .await
        .expect("find")
        .is_empty()
    {
        assert!(start.elapsed() < WAIT, "{xpath} is still there");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn act_as(c: &Client, name: &str) {
    find(
        c,
        "//select[@id=//label[normalize-space()='Acting as']/@for]",
    )
    .await
    .select_by_label(name)
    .await
    .expect("switch user");
}

/// Clicks what `xpath` finds; the page redraws what changed, so an element
/// can go stale between finding and clicking: then it is found again.
async fn click(c: &Client, xpath: &str) {
    let start = Instant::now();
    loop {
        match find(c, xpath).await.click().await {
            Ok(()) => return,
            Err(err) => assert!(start.elapsed() < WAIT, "click {xpath}: {err}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const THREAD: &str = "//aside[@aria-label='Thread']";

#[tokio::test]
async fn a_person_goes_through_the_story_in_chromium() {
    if !browser_present() {
        return;
    }
    let pg = start().await;
    let (_driver, c, _profile) = start_driver().await;
    c.goto(&format!("http://{}/", pg.pg.addr))
        .await
        .expect("open the page");
    find(
        &c,
        "//*[contains(normalize-space(), 'Playground — not connected to Slack')]",
    )
    .await;

    let message = find(&c, "//textarea[@aria-label='Message']").await;
    message
        .send_keys("/wb pressrelease Smart fridge camera\u{E007}")
        .await
        .expect("type");
    find(
        &c,
        "//main//button[normalize-space()='Draft press release']",
    )
    .await;
    find(&c, "//*[normalize-space()='Only visible to you']").await;

    let root = "//main//article[.//h3[normalize-space()='Smart fridge camera']]";
    click(
        &c,
        &format!("{root}//button[@aria-label='Reply in thread']"),
    )
    .await;
    act_as(&c, "Li").await;
    find(&c, "//textarea[@aria-label='Reply']")
        .await
        .send_keys("How much will it cost?\u{E007}")
        .await
        .expect("reply");
    let question = format!("{THREAD}//article[.//div[contains(@class,'msg-body')][normalize-space()='How much will it cost?']]");
    find(&c, &format!("{question}//button[normalize-space()='❓ 1']")).await;

    act_as(&c, "Sam").await;
    click(
        &c,
        &format!("{question}//button[@aria-label='React with 👍']"),
    )
    .await;
    find(
        &c,
        &format!("{question}//button[normalize-space()='👍 1' and @aria-pressed='true']"),
    )
    .await;

    act_as(&c, "You").await;
    click(
        &c,
        "//main//button[normalize-space()='Draft press release']",
    )
    .await;
    let dialog = "//div[@role='dialog'][.//h2[normalize-space()='Press release']]";
    find(&c, dialog).await;
    let headline = find(
        &c,
        &format!("{dialog}//*[@id=//label[normalize-space()='Headline']/@for]"),
    )
    .await;
    headline
        .send_keys("Fridge Cam shows what is in your fridge while you shop")
        .await
        .expect("headline");
    let problem = find(
        &c,
        &format!("{dialog}//*[@id=//label[starts-with(normalize-space(),'Problem')]/@for]"),
    )
    .await;
    problem
        .send_keys("A family of four throws away 30% of the food it buys.")
        .await
        .expect("problem");
    click(
        &c,
        &format!("{dialog}//button[normalize-space()='Save draft']"),
    )
    .await;
    gone(&c, "//div[@role='dialog']").await;
    find(
        &c,
        &format!("{THREAD}//*[contains(normalize-space(), 'Draft v1 by @you')]"),
    )
    .await;
    find(&c, &format!("{THREAD}//article[.//*[normalize-space()='Only visible to you']]//*[contains(normalize-space(), 'Bar-raiser review of draft v1')]")).await;
    find(&c, &format!("{root}//*[contains(normalize-space(), 'Fridge Cam shows what is in your fridge while you shop')]")).await;

    click(&c, "//main//button[normalize-space()='Export']").await;
    let file = find(
        &c,
        &format!("{THREAD}//a[contains(normalize-space(), 'Working Backwards doc set')]"),
    )
    .await;
    let href = file.attr("href").await.expect("href").expect("a link");
    let (status, content) = request(&pg, "GET", &href, &[], vec![]).await;
    assert_eq!(status, 200);
    assert!(
        content.starts_with("# Smart fridge camera") && content.contains("How much will it cost?"),
        "{content}"
    );
    find(&c, "//*[contains(normalize-space(), 'Exported') and contains(normalize-space(), 'as Markdown')]").await;

    // The README's screenshot is refreshed on purpose (UPDATE_SCREENSHOT=1);
    // every other run leaves it to target/, so a test run changes no tracked file.
    let png = c.screenshot().await.expect("screenshot");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        root.join("docs")
    } else {
        root.join("target")
    };
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join("playground.png"), png).expect("write the screenshot");
    every_block_and_element_is_drawn(&c, &pg).await;
    c.close().await.expect("close the browser");
    pg.pg.stop().await;
}

/// Posts (as the bot, through the emulated Web API) a message and opens a
/// modal with every block and element wb sends, and checks how they are drawn.
async fn every_block_and_element_is_drawn(c: &Client, pg: &Pg) {
    let opt = |t: &str, v: &str| json!({"text": {"type": "plain_text", "text": t}, "value": v});
    let blocks = json!([
        {"type": "header", "text": {"type": "plain_text", "text": "Kitchen sink"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*bold* _italic_ ~strike~ `code` <https://example.com/|a link> <@U0PLAYLI01> <#C0PRODUCT1>\n• first\n• second\n>quoted"},
         "fields": [{"type": "mrkdwn", "text": "*Field one*"}, {"type": "plain_text", "text": "Field two"}],
         "accessory": {"type": "overflow", "action_id": "more", "options": [opt("Archive", "a"), opt("Pin", "p")]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "context words"}]},
        {"type": "divider"},
        {"type": "actions", "elements": [
            {"type": "button", "action_id": "ok", "style": "primary", "text": {"type": "plain_text", "text": "Approve"}},
            {"type": "button", "action_id": "no", "style": "danger", "text": {"type": "plain_text", "text": "Reject"}},
            {"type": "static_select", "action_id": "pick", "placeholder": {"type": "plain_text", "text": "Pick one"}, "options": [opt("One", "1")]},
            {"type": "datepicker", "action_id": "day", "placeholder": {"type": "plain_text", "text": "Day"}}]},
        {"type": "video", "title": {"type": "plain_text", "text": "a video"}}
    ]);
    let token = pg.pg.hub.bot_token.clone();
    let call = |method: &'static str, args: serde_json::Value| {
        let auth = format!("Bearer {token}");
        async move {
            let (status, body) = request(
                pg,
                "POST",
                &format!("/api/{method}"),
                &[
                    ("content-type", "application/json"),
                    ("authorization", &auth),
                ],
                args.to_string().into_bytes(),
            )
            .await;
            assert_eq!(status, 200);
            assert!(body.contains("\"ok\":true"), "{method}: {body}");
        }
    };
    call("conversations.join", json!({"channel": "C0PRODUCT1"})).await;
    call(
        "chat.postMessage",
        json!({"channel": "C0PRODUCT1", "text": "Kitchen sink", "blocks": blocks}),
    )
    .await;
    click(c, "//button[@aria-label='Close thread']").await;
    let msg = "//main//article[.//h3[normalize-space()='Kitchen sink']]";
    for (_what, xpath) in [
        ("bold", "//b[normalize-space()='bold']"),
        ("italic", "//i[normalize-space()='italic']"),
        ("strike", "//s[normalize-space()='strike']"),
        ("code", "//code[normalize-space()='code']"),
        (
            "link",
            "//a[@href='https://example.com/' and normalize-space()='a link']",
        ),
        (
            "user mention",
            "//*[contains(@class,'mention') and normalize-space()='@Li']",
        ),
        (
            "channel mention",
            "//*[contains(@class,'mention') and normalize-space()='#product']",
        ),
        ("list", "//ul/li[normalize-space()='second']"),
        ("quote", "//blockquote[normalize-space()='quoted']"),
        (
            "fields",
            "//*[contains(@class,'bk-fields')]//b[normalize-space()='Field one']",
        ),
        (
            "context",
            "//*[contains(@class,'block-context')][normalize-space()='context words']",
        ),
        ("divider", "//hr"),
        (
            "primary",
            "//button[normalize-space()='Approve' and contains(@class,'primary')]",
        ),
        (
            "danger",
            "//button[normalize-space()='Reject' and contains(@class,'danger')]",
        ),
        (
            "select",
            "//select[@aria-label='Pick one']/option[normalize-space()='One']",
        ),
        ("datepicker", "//input[@type='date' and @aria-label='Day']"),
        (
            "unsupported",
            "//*[normalize-space()='unsupported block (video)']",
        ),
    ] {
        // Waits (bounded): the page may still be drawing the message.
        find(c, &format!("{msg}{xpath}")).await;
    }
    click(c, &format!("{msg}//button[@aria-label='More options']")).await;
    click(
        c,
        &format!("{msg}//button[@role='menuitem' and normalize-space()='Pin']"),
    )
    .await;

    let input = |id: &str, label: &str, element: serde_json::Value| {
        json!({"type": "input", "block_id": id, "optional": true,
        "label": {"type": "plain_text", "text": label}, "element": element})
    };
    let mut name = input(
        "name",
        "Name",
        json!({"type": "plain_text_input", "action_id": "v"}),
    );
    name["optional"] = json!(false);
    let modal = json!({"type": "modal", "callback_id": "probe", "title": {"type": "plain_text", "text": "Every input"},
        "submit": {"type": "plain_text", "text": "Send"}, "blocks": [name,
        input("notes", "Notes", json!({"type": "plain_text_input", "action_id": "v", "multiline": true})),
        input("size", "Size", json!({"type": "static_select", "action_id": "v", "option_groups": [{"label": {"type": "plain_text", "text": "Sizes"}, "options": [opt("Large", "l")]}]})),
        input("kind", "Kind", json!({"type": "radio_buttons", "action_id": "v", "options": [opt("Food", "f"), opt("Drink", "d")]})),
        input("tags", "Tags", json!({"type": "checkboxes", "action_id": "v", "options": [opt("Cold", "c")]})),
        input("day", "Launch day", json!({"type": "datepicker", "action_id": "v"})),
        input("when", "When", json!({"type": "datetimepicker", "action_id": "v"})),
        input("owner", "Owner", json!({"type": "users_select", "action_id": "v"})),
        input("reviewers", "Reviewers", json!({"type": "multi_users_select", "action_id": "v"}))]});
    let trigger = pg.pg.hub.quietly(|w| w.new_trigger(YOU));
    call("views.open", json!({"trigger_id": trigger, "view": modal})).await;
    let dialog = "//div[@role='dialog'][.//h2[normalize-space()='Every input']]";
    find(c, dialog).await;
    for label in ["Name", "Notes", "Size", "Launch day", "When", "Owner"] {
        let control =
            format!("{dialog}//*[@id=//label[starts-with(normalize-space(),'{label}')]/@for]");
        assert!(
            !c.find_all(Locator::XPath(&control))
                .await
                .expect("find")
                .is_empty(),
            "input labelled {label}"
        );
    }
    for legend in ["Kind", "Tags", "Reviewers"] {
        let group = format!("{dialog}//fieldset[legend[normalize-space()='{legend}']]//input");
        assert!(
            !c.find_all(Locator::XPath(&group))
                .await
                .expect("find")
                .is_empty(),
            "group named {legend}"
        );
    }
    click(c, &format!("{dialog}//button[normalize-space()='Send']")).await;
    find(c, &format!("{dialog}//*[@role='alert' and normalize-space()='Please complete this required field.']")).await;
    find(
        c,
        &format!("{dialog}//input[@id=//label[starts-with(normalize-space(),'Name')]/@for]"),
    )
    .await
    .send_keys("Ada")
    .await
    .expect("type");
    click(c, &format!("{dialog}//fieldset[legend[normalize-space()='Reviewers']]//label[normalize-space()='Sam']/input")).await;
    click(c, &format!("{dialog}//button[normalize-space()='Send']")).await;
    gone(c, "//div[@role='dialog']").await;
}

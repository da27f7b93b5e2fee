//! Every block and element wb sends, drawn by the playground in Chromium.

use super::*;

/// Posts (as the bot, through the emulated Web API) a message and opens a
/// modal with every block and element wb sends, and checks how they are drawn.
pub(super) async fn every_block_and_element_is_drawn(c: &Client, pg: &Pg) {
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

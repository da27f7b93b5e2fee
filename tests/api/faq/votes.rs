//! 👍 votes: one per user, in any skin tone, undone exactly by a removal, on
//! the asker's reply or on the bot's post of the question.

use serde_json::Value;

use super::*;
use crate::helpers::*;

async fn voters(app: &TestApp) -> Vec<String> {
    crate::testdb::query_scalar("SELECT user_id FROM question_votes ORDER BY user_id")
        .fetch_all(&app.pool)
        .await
        .expect("votes")
}

#[tokio::test]
async fn a_thumbs_up_is_one_vote_per_user_and_removing_it_undoes_exactly_that_vote() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    let question: Value =
        serde_json::from_str(&fixture("event_thread_reply.json")).expect("fixture");
    app.event(&question).await;
    let ts = "1763740000.000200";
    let fixture_vote: Value =
        serde_json::from_str(&fixture("event_reaction_added.json")).expect("fixture");

    // BO votes with a skin tone (the fixture), then again with plain +1.
    assert_eq!(app.event(&fixture_vote).await.status, 200);
    reaction(&app, "EvVote2", true, BO, "+1", ts).await;
    assert_eq!(voters(&app).await, vec![BO]);
    // ANA votes too; other reactions are not votes.
    reaction(&app, "EvVote3", true, ANA, "+1::skin-tone-5", ts).await;
    reaction(&app, "EvHeart", true, USER, "heart", ts).await;
    reaction(&app, "EvDown", true, USER, "-1", ts).await;
    assert_eq!(voters(&app).await, vec![ANA, BO]);
    assert_eq!(export(&app)["faq"][0]["votes"], 2);

    // BO takes the vote back: ANA's stays.
    reaction(&app, "EvUnvote", false, BO, "+1::skin-tone-2", ts).await;
    assert_eq!(voters(&app).await, vec![ANA]);
    // Removing a vote that is not there never goes below zero.
    reaction(&app, "EvUnvote2", false, BO, "+1", ts).await;
    reaction(&app, "EvUnvote3", false, USER, "+1", ts).await;
    assert_eq!(export(&app)["faq"][0]["votes"], 1);
    // The same removal retried by Slack is a duplicate.
    reaction(&app, "EvVote4", true, BO, "+1", ts).await;
    reaction(&app, "EvUnvote", false, BO, "+1", ts).await;
    assert_eq!(export(&app)["faq"][0]["votes"], 2);
}

#[tokio::test]
async fn reactions_on_messages_that_are_not_questions_are_not_votes() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;
    reply(&app, "EvTalk", "1763740007.000001", "Just chatting").await;
    reply(&app, "EvCx", "1763740007.000002", "CX: a story").await;

    for (i, ts) in [
        "1763740007.000001",
        "1763740007.000002",
        ROOT,
        "1763749999.000001",
    ]
    .iter()
    .enumerate()
    {
        reaction(&app, &format!("EvNoVote{i}"), true, BO, "+1", ts).await;
    }

    assert!(voters(&app).await.is_empty());
}

#[tokio::test]
async fn a_thumbs_up_on_the_bots_post_of_a_question_counts() {
    let app = spawn_app().await;
    app.start_session("Smart fridge camera").await;

    app.command("faq How long does the battery last?").await;
    app.wait_for_calls("chat.postMessage", 2).await;
    app.settle().await;
    let posted: Option<String> = crate::testdb::query_scalar("SELECT message_ts FROM questions")
        .fetch_one(&app.pool)
        .await
        .expect("question");
    let posted = posted.expect("the bot's post is linked to the question");
    assert_eq!(posted, "1763739000.000101");
    reaction(&app, "EvBotVote", true, BO, "+1", &posted).await;
    reaction(
        &app,
        "EvBotVote2",
        true,
        ANA,
        "thumbsup::skin-tone-3",
        &posted,
    )
    .await;

    assert_eq!(export(&app)["faq"][0]["votes"], 2);
}

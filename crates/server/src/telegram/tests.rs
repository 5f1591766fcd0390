//! The client against the stand-in: every answer the sender acts on.

use std::time::Duration;

use super::api::{BotApi, Failure, Outgoing, start_code};
use super::standin::{Fault, StandIn};

const TOKEN: &str = "123456:test-token";

async fn serve(standin: &StandIn) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

fn message(chat_id: i64, html: &str) -> Outgoing {
    Outgoing {
        chat_id,
        thread_id: None,
        html: html.to_owned(),
        silent: false,
    }
}

#[tokio::test]
async fn get_me_names_the_bot_and_a_wrong_token_is_unauthorized() {
    let standin = StandIn::new(TOKEN, "tonle_shop_bot");
    let url = serve(&standin).await;
    let me = BotApi::new(&url, TOKEN).expect("client").get_me().await;
    assert_eq!(me.map(|m| m.username), Ok("tonle_shop_bot".to_owned()));
    let wrong = BotApi::new(&url, "123456:other").expect("client");
    assert_eq!(wrong.get_me().await, Err(Failure::Unauthorized));
    assert_eq!(
        wrong.send_message(&message(-1, "x")).await,
        Err(Failure::Unauthorized)
    );
}

#[tokio::test]
async fn sends_and_every_refusal_is_typed() {
    let standin = StandIn::new(TOKEN, "tonle_shop_bot");
    let bot = BotApi::new(&serve(&standin).await, TOKEN).expect("client");
    let mut quiet = message(-100, "<b>៛25,000</b>");
    quiet.silent = true;
    quiet.thread_id = Some(42);
    assert_eq!(bot.send_message(&quiet).await, Ok(1));
    let sent = standin.sent();
    assert_eq!(
        (sent[0].chat_id, sent[0].thread_id, sent[0].silent),
        (-100, Some(42), true)
    );

    standin.fail_next(&[
        Fault::TooManyRequests { retry_after: 34 },
        Fault::ServerError,
    ]);
    assert_eq!(
        bot.send_message(&message(-100, "a")).await,
        Err(Failure::RetryAfter(Duration::from_secs(34)))
    );
    assert!(matches!(
        bot.send_message(&message(-100, "a")).await,
        Err(Failure::Unavailable(_))
    ));

    standin.migrate(-100, -1_001_234_567_890);
    assert_eq!(
        bot.send_message(&message(-100, "a")).await,
        Err(Failure::Migrated(-1_001_234_567_890))
    );
    assert_eq!(
        bot.send_message(&message(-1_001_234_567_890, "a")).await,
        Ok(2)
    );

    standin.block(-200);
    assert!(matches!(
        bot.send_message(&message(-200, "a")).await,
        Err(Failure::Removed(reason)) if reason.contains("kicked")
    ));
    assert!(matches!(
        bot.send_message(&message(-300, "")).await,
        Err(Failure::Rejected(_))
    ));
    // Nothing refused was kept.
    assert_eq!(standin.sent().len(), 2);
}

#[tokio::test]
async fn a_send_with_no_answer_may_have_been_delivered_and_a_dead_server_was_not_reached() {
    let standin = StandIn::new(TOKEN, "tonle_shop_bot");
    let url = serve(&standin).await;
    let bot = BotApi::new(&url, TOKEN).expect("client");
    standin.fail_next(&[Fault::HangAfterDelivery]);
    let started = std::time::Instant::now();
    assert_eq!(
        bot.send_message(&message(-100, "a")).await,
        Err(Failure::MaybeDelivered)
    );
    assert!(started.elapsed() >= super::api::TIMEOUT);
    assert_eq!(standin.sent().len(), 1, "the stand-in kept it");

    // Nothing listens on port 9: refused before anything was sent.
    let nowhere = BotApi::new("http://127.0.0.1:9", TOKEN).expect("client");
    assert!(matches!(
        nowhere.send_message(&message(-100, "a")).await,
        Err(Failure::Unavailable(_))
    ));
}

#[tokio::test]
async fn long_polling_returns_when_a_message_arrives_and_offsets_confirm() {
    let standin = StandIn::new(TOKEN, "tonle_shop_bot");
    let bot = BotApi::new(&serve(&standin).await, TOKEN).expect("client");
    let poster = standin.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        poster.post(-100, "Phsar Cafe", Some(7), "/start@tonle_shop_bot abc_123");
    });
    let started = std::time::Instant::now();
    let seen = bot
        .get_updates(0, Duration::from_secs(20))
        .await
        .expect("updates");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "returned on arrival"
    );
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].chat_id, seen[0].title.as_str(), seen[0].thread_id),
        (-100, "Phsar Cafe", Some(7))
    );
    let next = seen[0].update_id + 1;
    let again = bot
        .get_updates(next, Duration::ZERO)
        .await
        .expect("updates");
    assert!(again.is_empty(), "an update below the offset is confirmed");
}

#[test]
fn start_codes_are_read_for_this_bot_only() {
    let bot = "tonle_shop_bot";
    assert_eq!(start_code("/start abc-123", bot), Some("abc-123"));
    assert_eq!(start_code("/start@tonle_shop_bot abc", bot), Some("abc"));
    assert_eq!(start_code("/start@Tonle_Shop_Bot abc", bot), Some("abc"));
    assert_eq!(start_code("/start@other_bot abc", bot), None);
    assert_eq!(start_code("/start", bot), None);
    assert_eq!(start_code("/startx abc", bot), None);
    assert_eq!(start_code("/start a<b", bot), None);
    assert_eq!(start_code(&format!("/start {}", "a".repeat(65)), bot), None);
}

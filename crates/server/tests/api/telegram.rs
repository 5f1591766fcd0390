//! Payment alerts in Telegram against the stand-in Bot API: linking, every paid charge told
//! exactly once through 429s, 500s and a hang, a restart with a backlog, a migrated group, a
//! blocked bot, a counter-scoped chat, and the day's summary against the dashboard's totals.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tonle_server::api;
use tonle_server::config::Settings;
use tonle_server::config::TelegramSettings;
use tonle_server::telegram::standin::{Fault, Sent, StandIn};

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app_with, start, uuid_like};

const TOKEN: &str = "777:stand-in-token";
const BOT: &str = "tonle_test_bot";

async fn standin() -> (StandIn, String) {
    let standin = StandIn::new(TOKEN, BOT);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (standin, url)
}

fn with_bot(url: &str) -> impl FnOnce(&mut Settings) + '_ {
    move |s: &mut Settings| {
        s.telegram = Some(TelegramSettings {
            api_url: url.to_owned(),
            token: TOKEN.to_owned(),
        });
    }
}

async fn eventually<T>(what: &str, within: Duration, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(started.elapsed() < within, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn chats(app: &TestApp, m: &Merchant) -> api::TelegramChats {
    app.get_json(&m.cookie, "/api/v1/telegram/chats").await
}

/// Links chat `chat_id` with `body`'s scope; waits for the bot's confirmation there.
async fn link(
    app: &TestApp,
    bot: &StandIn,
    m: &Merchant,
    chat_id: i64,
    body: Value,
) -> api::TelegramChat {
    let res = app
        .post_as(&m.cookie, "/api/v1/telegram/links", body)
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let link: api::ChatLink = res.json().await.unwrap();
    assert_eq!(
        link.url,
        format!("https://t.me/{BOT}?startgroup={}", link.code)
    );
    bot.post(
        chat_id,
        &format!("Group {chat_id}"),
        None,
        &format!("/start@{BOT} {}", link.code),
    );
    eventually(
        "the bot's confirmation",
        Duration::from_secs(20),
        async || {
            bot.sent()
                .iter()
                .any(|s| s.chat_id == chat_id && s.text.starts_with("🔗"))
                .then_some(())
        },
    )
    .await;
    let all = chats(app, m).await;
    all.items
        .into_iter()
        .find(|c| c.chat_id == chat_id)
        .expect("linked")
}

/// Pays a new charge; its bill number.
async fn pay(app: &TestApp, m: &Merchant, terminal: Option<&str>) -> String {
    let mut body = json!({"amount": "1000", "currency": "KHR"});
    if let Some(t) = terminal {
        body["terminal_id"] = json!(t);
    }
    let res = app.create_charge(m, body, None).await;
    assert_eq!(res.status(), 201);
    let c: api::ChargeView = res.json().await.unwrap();
    let res = app.notify(&payment_for(&c, &uuid_like())).await;
    assert_eq!(res.status(), 200);
    c.bill_number
}

/// How many times each bill number was posted to `chat_id` (single messages and listings).
fn told(sent: &[Sent], chat_id: i64, bills: &[String]) -> BTreeMap<String, usize> {
    bills
        .iter()
        .map(|b| {
            let needle = format!("<code>{b}</code>");
            let n = sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .map(|s| s.text.matches(&needle).count())
                .sum();
            (b.clone(), n)
        })
        .collect()
}

async fn all_told_once(bot: &StandIn, chat_id: i64, bills: &[String], within: Duration) {
    eventually("every payment told", within, async || {
        let t = told(&bot.sent(), chat_id, bills);
        t.values().all(|n| *n >= 1).then_some(())
    })
    .await;
    let t = told(&bot.sent(), chat_id, bills);
    assert!(t.values().all(|n| *n == 1), "each once: {t:?}");
}

#[tokio::test]
async fn two_hundred_payments_are_told_once_each_through_429s_500s_and_a_hang() {
    let (bot, url) = standin().await;
    let app = spawn_app_with(with_bot(&url)).await;
    let m = app.register("tg@shop.kh", "sokha@aclb").await;
    let chat = link(&app, &bot, &m, -1001, json!({"language": "en"})).await;
    assert_eq!(chat.status, api::ChatStatus::Active);
    let listed = chats(&app, &m).await;
    assert_eq!(
        (listed.configured, listed.bot.as_deref()),
        (true, Some(BOT))
    );
    assert_eq!(
        (chat.title.as_str(), chat.language),
        ("Group -1001", api::ChatLanguage::En)
    );
    bot.fail_next(&[
        Fault::TooManyRequests { retry_after: 1 },
        Fault::ServerError,
        Fault::Hang,
        Fault::ServerError,
        Fault::TooManyRequests { retry_after: 2 },
    ]);
    let mut bills = Vec::new();
    for _ in 0..200 {
        bills.push(pay(&app, &m, None).await);
    }
    all_told_once(&bot, -1001, &bills, Duration::from_secs(120)).await;
    // Paced: never two messages to the group within a second, never more than 20 a minute.
    let times: Vec<Duration> = bot
        .sent()
        .iter()
        .filter(|s| s.chat_id == -1001)
        .map(|s| s.at)
        .collect();
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(950),
            "gap {:?}",
            w[1] - w[0]
        );
    }
    for (i, t) in times.iter().enumerate() {
        let in_minute = times[i..]
            .iter()
            .take_while(|u| **u - *t < Duration::from_secs(60))
            .count();
        assert!(in_minute <= 20, "{in_minute} messages within a minute");
    }
    let listed = bot
        .sent()
        .iter()
        .filter(|s| s.text.contains(" payments</b>"))
        .count();
    assert!(listed > 0, "a backlog goes as listings");
    // The stand-in may show a message before the sender has recorded Telegram's answer.
    let now = eventually("nothing waiting", Duration::from_secs(10), async || {
        let c = chats(&app, &m).await.items.remove(0);
        (c.waiting == 0).then_some(c)
    })
    .await;
    assert!(now.last_delivered_at_ms.is_some());
}

#[tokio::test]
async fn a_restart_with_a_backlog_loses_and_repeats_nothing() {
    let (bot, url) = standin().await;
    let data_dir = tempfile::tempdir().unwrap();
    let settings = |dir: &std::path::Path| {
        let mut s = Settings::for_tests(dir.to_path_buf());
        with_bot(&url)(&mut s);
        s
    };
    let app = start(settings(data_dir.path()), data_dir).await;
    let m = app.register("restart@shop.kh", "sokha@aclb").await;
    link(&app, &bot, &m, -2002, json!({"language": "km"})).await;
    // Telegram holds the chat back while payments arrive: they wait in the outbox.
    bot.fail_next(&[Fault::TooManyRequests { retry_after: 30 }]);
    let mut bills = Vec::new();
    for _ in 0..30 {
        bills.push(pay(&app, &m, None).await);
    }
    let waiting = chats(&app, &m).await.items[0].waiting;
    assert!(waiting > 0, "a backlog before the restart");
    let data_dir = app.stop().await;
    let app = start(settings(data_dir.path()), data_dir).await;
    all_told_once(&bot, -2002, &bills, Duration::from_secs(90)).await;
    drop(app);
}

#[tokio::test]
async fn a_migrated_group_gets_the_rest_and_a_blocked_bot_shows_removed() {
    let (bot, url) = standin().await;
    let app = spawn_app_with(with_bot(&url)).await;
    let m = app.register("moves@shop.kh", "sokha@aclb").await;
    link(&app, &bot, &m, -300, json!({"language": "zh"})).await;
    let first = pay(&app, &m, None).await;
    all_told_once(
        &bot,
        -300,
        std::slice::from_ref(&first),
        Duration::from_secs(20),
    )
    .await;
    bot.migrate(-300, -100300);
    let second = pay(&app, &m, None).await;
    all_told_once(
        &bot,
        -100300,
        std::slice::from_ref(&second),
        Duration::from_secs(20),
    )
    .await;
    let chat = chats(&app, &m).await.items.remove(0);
    assert_eq!(chat.chat_id, -100300, "the link moved to the supergroup");
    assert!(
        bot.sent().iter().any(|s| s.text.contains("已收款")),
        "in Chinese"
    );

    bot.block(-100300);
    pay(&app, &m, None).await;
    let chat = eventually("removed", Duration::from_secs(20), async || {
        let c = chats(&app, &m).await.items.remove(0);
        (c.status == api::ChatStatus::Removed).then_some(c)
    })
    .await;
    assert!(chat.removed_reason.is_some_and(|r| !r.is_empty()));
    assert_eq!(chat.waiting, 0, "nothing more is sent to it");
    let test = app
        .post_as(
            &m.cookie,
            &format!("/api/v1/telegram/chats/{}/test", chat.id),
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(test.status(), 409);
}

#[tokio::test]
async fn a_counter_scoped_chat_gets_only_its_counter() {
    let (bot, url) = standin().await;
    let app = spawn_app_with(with_bot(&url)).await;
    let m = app.register("scope@shop.kh", "sokha@aclb").await;
    let post = |path: &'static str, body: Value| app.post_as(&m.cookie, path, body);
    let store: Value = post("/api/v1/stores", json!({"name": "Riverside"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let t1: Value = post(
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Bar"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let t2: Value = post(
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Door"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let (t1, t2) = (t1["id"].as_str().unwrap(), t2["id"].as_str().unwrap());
    let bar = link(
        &app,
        &bot,
        &m,
        -401,
        json!({"language": "en", "terminal_id": t1}),
    )
    .await;
    assert_eq!(bar.terminal_id.as_deref(), Some(t1));
    link(
        &app,
        &bot,
        &m,
        -402,
        json!({"language": "en", "events": ["paid"]}),
    )
    .await;
    let at_bar = pay(&app, &m, Some(t1)).await;
    let at_door = pay(&app, &m, Some(t2)).await;
    all_told_once(
        &bot,
        -402,
        &[at_bar.clone(), at_door.clone()],
        Duration::from_secs(20),
    )
    .await;
    all_told_once(
        &bot,
        -401,
        std::slice::from_ref(&at_bar),
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(
        told(&bot.sent(), -401, std::slice::from_ref(&at_door))[&at_door],
        0
    );
    assert!(
        bot.sent()
            .iter()
            .any(|s| s.chat_id == -401 && s.text.contains("Counter Bar · Riverside"))
    );
}

#[tokio::test]
async fn the_days_summary_matches_the_dashboard() {
    let (bot, url) = standin().await;
    let clock = tonle_server::clock::Clock::default();
    let app = spawn_app_with(|s| {
        with_bot(&url)(s);
        s.clock = clock.clone();
    })
    .await;
    let m = app.register("summary@shop.kh", "sokha@aclb").await;
    let chat = link(&app, &bot, &m, -500, json!({"language": "en"})).await;
    for _ in 0..3 {
        pay(&app, &m, None).await;
    }
    // The summary's hour is the next one in Phnom Penh; the clock moves past it.
    let next_hour = (tonle_server::clock::local_hour(clock.now_ms(), 7 * 3_600_000) + 1) % 24;
    let res = app
        .http
        .patch(app.url(&format!("/api/v1/telegram/chats/{}", chat.id)))
        .header("cookie", &m.cookie)
        .json(&json!({"summary_hour": next_hour, "quiet_hours": {"from": 0, "to": 23}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    tokio::time::sleep(Duration::from_secs(1)).await;
    clock.advance(Duration::from_secs(3600));
    let summary = eventually("the summary", Duration::from_secs(60), async || {
        bot.sent()
            .into_iter()
            .find(|s| s.chat_id == -500 && s.text.starts_with("📊"))
    })
    .await;
    assert!(summary.silent, "within quiet hours");
    let date = summary
        .text
        .split("<b>")
        .nth(1)
        .and_then(|s| s.split("</b>").next())
        .unwrap()
        .to_owned();
    let daily: Vec<api::DailyTotal> = app
        .get_json(
            &m.cookie,
            &format!("/api/v1/reports/daily?from={date}&to={date}"),
        )
        .await;
    for d in &daily {
        let money = khqr::Money::parse(&d.total, d.currency).unwrap();
        let line = format!(
            "<b>{}</b> ({} payments)",
            tonle_server::telegram::text::money(&money),
            d.count
        );
        assert!(summary.text.contains(&line), "{line} in {}", summary.text);
    }
    if daily.is_empty() {
        assert!(summary.text.contains("No payments today."));
    }
    // Once a day, however often the clock ticks.
    clock.advance(Duration::from_secs(60));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        bot.sent()
            .iter()
            .filter(|s| s.text.starts_with("📊"))
            .count(),
        1
    );
}

#[tokio::test]
async fn without_a_bot_linking_says_so_and_cashiers_see_nothing() {
    let app = spawn_app_with(|_| {}).await;
    let m = app.register("nobot@shop.kh", "sokha@aclb").await;
    let none = chats(&app, &m).await;
    assert_eq!((none.configured, none.bot), (false, None));
    let res = app
        .post_as(
            &m.cookie,
            "/api/v1/telegram/links",
            json!({"language": "en"}),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("--telegram-bot-token"),
        "{body}"
    );
    let bad = app
        .post_as(
            &m.cookie,
            "/api/v1/telegram/links",
            json!({"language": "fr"}),
        )
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn a_late_payment_and_one_to_review_are_told_as_such_in_khmer() {
    let (bot, url) = standin().await;
    let app = spawn_app_with(with_bot(&url)).await;
    let m = app.register("late@shop.kh", "sokha@aclb").await;
    link(&app, &bot, &m, -600, json!({"language": "km"})).await;
    // Paid a second after its QR expired: paid late, waiting for a decision.
    let c = app.charge(&m, "7000", "KHR").await;
    let mut late = payment_for(&c, "tx-late");
    late["paid_at_ms"] = json!(c.expires_at_ms + 1_000);
    assert_eq!(app.notify(&late).await.status(), 200);
    // A second payment of the same charge: kept for review.
    assert_eq!(app.notify(&payment_for(&c, "tx-again")).await.status(), 200);
    let texts = eventually("both told", Duration::from_secs(20), async || {
        let t: Vec<String> = bot
            .sent()
            .into_iter()
            .filter(|s| s.chat_id == -600 && !s.text.starts_with("🔗"))
            .map(|s| s.text)
            .collect();
        (t.len() >= 2).then_some(t)
    })
    .await;
    assert!(texts[0].starts_with("⚠️ <b>បង់យឺត"), "{texts:#?}");
    assert!(
        texts[0].contains("¥84.96 (អត្រា 565)"),
        "the payer's yuan: {}",
        texts[0]
    );
    assert!(
        texts[1].starts_with("🔎 <b>ការបង់ប្រាក់ត្រូវពិនិត្យ</b>"),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("<code>tx-again</code>"));
}

#[tokio::test]
async fn bakong_token_trouble_is_told_a_refusal_at_once_and_an_expiry_at_the_summary_hour() {
    use base64::Engine;
    let (bot, url) = standin().await;
    let bakong = crate::helpers::spawn_standin().await;
    let clock = tonle_server::clock::Clock::default();
    let bakong_url = bakong.url.clone();
    let app = spawn_app_with(|s| {
        with_bot(&url)(s);
        s.bakong_api_url = bakong_url;
        s.clock = clock.clone();
    })
    .await;
    let m = app.register("token@shop.kh", "sokha@aclb").await;
    let chat = link(
        &app,
        &bot,
        &m,
        -700,
        json!({"language": "en", "events": ["bakong"]}),
    )
    .await;
    // A JWT that expires in 5 days and a half.
    let exp = (clock.now_ms() + 5 * 86_400_000 + 43_200_000) / 1000;
    let claims =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json!({"exp": exp}).to_string());
    let token = format!("eyJhbGciOiJIUzI1NiJ9.{claims}.sig");
    bakong.standin.allow_token(&token);
    let saved = app
        .http
        .put(app.url("/api/v1/integrations/bakong"))
        .header("cookie", &m.cookie)
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let next_hour = (tonle_server::clock::local_hour(clock.now_ms(), 7 * 3_600_000) + 1) % 24;
    let res = app
        .http
        .patch(app.url(&format!("/api/v1/telegram/chats/{}", chat.id)))
        .header("cookie", &m.cookie)
        .json(&json!({"summary_hour": next_hour}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    clock.advance(Duration::from_secs(3600));
    let reminder = eventually("the expiry reminder", Duration::from_secs(60), async || {
        bot.sent()
            .into_iter()
            .find(|s| s.chat_id == -700 && s.text.starts_with("⏳"))
    })
    .await;
    assert!(
        reminder.text.contains("expires in 5 days"),
        "{}",
        reminder.text
    );
    assert!(
        !bot.sent()
            .iter()
            .any(|s| s.chat_id == -700 && s.text.starts_with("📊")),
        "this chat asked for Bakong trouble only"
    );
    // Bakong refuses the token: told at once.
    app.charge(&m, "3000", "KHR").await;
    bakong.standin.revoke_token(&token);
    let refused = eventually("the refusal", Duration::from_secs(60), async || {
        bot.sent()
            .into_iter()
            .find(|s| s.chat_id == -700 && s.text.contains("Bakong refused"))
    })
    .await;
    assert!(refused.text.contains("Settings"));
}

#[tokio::test]
async fn a_webhook_endpoint_turned_off_is_told_to_the_owners_chat() {
    let (bot, url) = standin().await;
    let clock = tonle_server::clock::Clock::default();
    let app = spawn_app_with(|s| {
        with_bot(&url)(s);
        s.webhook_allow_private = true;
        s.clock = clock.clone();
    })
    .await;
    let m = app.register("hooks@shop.kh", "sokha@aclb").await;
    link(&app, &bot, &m, -800, json!({"language": "en"})).await;
    // Nothing listens there: every attempt fails.
    let dead = "http://127.0.0.1:9/hook";
    let res = app
        .post_as(
            &m.cookie,
            "/api/v1/webhook-endpoints",
            json!({"url": dead, "events": ["charge.created"]}),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    app.charge(&m, "100", "KHR").await;
    eventually("the first failure", Duration::from_secs(20), async || {
        let list: Value = app.get_json(&m.cookie, "/api/v1/webhook-endpoints").await;
        list.as_array()
            .and_then(|a| a.first().cloned())
            .filter(|e| e["failing_since_ms"].is_i64())
    })
    .await;
    clock.advance(Duration::from_secs(5 * 24 * 3600));
    let told = eventually(
        "the endpoint turned off",
        Duration::from_secs(60),
        async || {
            bot.sent()
                .into_iter()
                .find(|s| s.chat_id == -800 && s.text.contains("turned a webhook endpoint off"))
        },
    )
    .await;
    assert!(told.text.contains(dead), "{}", told.text);
}

#[tokio::test]
async fn a_code_links_once_and_open_codes_are_capped() {
    let (bot, url) = standin().await;
    let app = spawn_app_with(with_bot(&url)).await;
    let m = app.register("caps@shop.kh", "sokha@aclb").await;
    let new_link = async || {
        app.post_as(
            &m.cookie,
            "/api/v1/telegram/links",
            json!({"language": "en"}),
        )
        .await
        .unwrap()
    };
    let first: api::ChatLink = new_link().await.json().await.unwrap();
    bot.post(-900, "Shop", None, &format!("/start {}", first.code));
    eventually("linked", Duration::from_secs(20), async || {
        (chats(&app, &m).await.items.len() == 1).then_some(())
    })
    .await;
    // Replayed in another group: refused there, in all three languages; nothing more linked.
    bot.post(-901, "Stranger", None, &format!("/start {}", first.code));
    let refused = eventually("the refusal", Duration::from_secs(20), async || {
        bot.sent().into_iter().find(|s| s.chat_id == -901)
    })
    .await;
    assert!(
        refused.text.contains("unknown, used or expired"),
        "{}",
        refused.text
    );
    assert_eq!(chats(&app, &m).await.items.len(), 1);
    // Ten codes may wait at once (the used one no longer counts); the eleventh is refused.
    for n in 0..tonle_server::routes::telegram::MAX_OPEN_CODES {
        assert_eq!(new_link().await.status(), 201, "code {n}");
    }
    let over = new_link().await;
    assert_eq!(over.status(), 422);
    let body: Value = over.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("link codes"),
        "{body}"
    );
}

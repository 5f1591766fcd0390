//! Telegram alerts in Settings: an owner links the shop's group to the bot (a stand-in Bot API)
//! with the card's one-time code, sees it appear without a reload, sends it a test message,
//! changes its language, events, quiet hours and summary hour (kept after a reload, and the next
//! test comes in Chinese), sees a group that removed the bot flagged with Telegram's reason, and
//! disconnects it; the card at every width in every language. A server run without a bot says
//! how whoever runs it sets one up.

use std::time::Duration;

use crate::support::browser::Browser;
use crate::support::server::{Server, TelegramStandIn};

/// The shop's group, numbered as Telegram numbers a supergroup.
const GROUP: i64 = -1_001_234_567_890;
const GROUP_TITLE: &str = "Dara Mart cashiers";
const WIDTHS: [(u32, u32); 5] = [
    (360, 740),
    (390, 844),
    (768, 1024),
    (1024, 768),
    (1366, 1024),
];

async fn choose(b: &Browser, testid: &str, value: &str) -> Result<(), String> {
    b.find(testid)
        .await?
        .select_by_value(value)
        .await
        .map_err(|e| format!("choose {value} in {testid}: {e}"))
}

/// What in the Telegram card sticks out past the window.
async fn overflow(b: &Browser) -> Result<String, String> {
    let found = b
        .client
        .execute(
            "const w = window.innerWidth + 1;\
             return [...document.querySelectorAll('[data-testid=telegram-section] *')]\
               .filter(el => el.getBoundingClientRect().right > w)\
               .map(el => el.tagName + '.' + el.className + '[' + (el.dataset.testid || '') + '] ' + Math.round(el.getBoundingClientRect().right))\
               .slice(0, 5).join('; ');",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(found.as_str().unwrap_or_default().to_owned())
}

/// At every width and in every language: nothing past the window's edge, and a screenshot of
/// `testid` named after `name`.
async fn every_width_and_language(b: &Browser, testid: &str, name: &str) -> Result<(), String> {
    for (w, h) in WIDTHS {
        b.client
            .set_window_size(w, h)
            .await
            .map_err(|e| format!("resize: {e}"))?;
        for (lang, _) in crate::screens::LANGS {
            b.click(&format!("lang-{lang}")).await?;
            let over = overflow(b).await?;
            if !over.is_empty() {
                return Err(format!(
                    "the Telegram card overflows at {w}px in {lang}: {over}"
                ));
            }
            b.screenshot_at(testid, &format!("telegram-{name}-{lang}-{w}"))
                .await;
        }
    }
    b.client
        .set_window_size(1366, 1024)
        .await
        .map_err(|e| format!("resize: {e}"))?;
    b.click("lang-en").await
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

async fn link_a_group(b: &Browser, server: &Server, bot: &TelegramStandIn) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@telegram-group.kh").await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.wait_text("telegram-bot", "@tonle_sandbox_bot").await?;
    b.find("telegram-chats-empty").await?;
    b.screenshot_at("telegram-section", "telegram-empty-en")
        .await;
    // The group's language starts as the app's.
    let language = b.prop("telegram-link-language", "value").await?;
    if language != "en" {
        return Err(format!(
            "the new group's language is {language:?}, not the app's (en)"
        ));
    }
    b.click("telegram-connect").await?;
    let code = b
        .wait_text_not_empty("telegram-link-code")
        .await?
        .trim()
        .to_owned();
    let url = b.attr("telegram-link-url", "href").await?;
    if !url.contains("tonle_sandbox_bot") || !url.ends_with(&code) {
        return Err(format!(
            "the link {url:?} is not the bot's with the code {code:?}"
        ));
    }
    let qr = b.attr("telegram-link-qr", "data-payload").await?;
    if qr != url {
        return Err(format!("the QR carries {qr:?}, not the link {url:?}"));
    }
    b.wait_text("telegram-link-expires", ":").await?;
    b.axe("settings with a Telegram link").await?;
    every_width_and_language(b, "telegram-link", "link").await?;

    // Someone in the group sends the code: the bot links it and says so there, and the card
    // shows the group without a reload.
    bot.post(GROUP, GROUP_TITLE, &format!("/start {code}"))
        .await?;
    b.wait_attr_within(
        "telegram-chat",
        "data-status",
        "active",
        Duration::from_secs(40),
    )
    .await?;
    b.wait_text("telegram-chat-title", GROUP_TITLE).await?;
    b.wait_text("telegram-connected", GROUP_TITLE).await?;
    if b.count("telegram-link").await? != 0 {
        return Err("the link is still shown after its group was linked".into());
    }
    let confirmed = bot.wait_sent(GROUP, 0).await?;

    b.click("telegram-chat-test").await?;
    b.wait_text("telegram-chat-feedback", "Test message sent")
        .await?;
    let sent = bot.wait_sent(GROUP, confirmed.len()).await?;
    let test = sent.last().cloned().unwrap_or_default();
    if has_chinese(&test) || !test.contains("tonle") {
        return Err(format!("the English group's test message is {test:?}"));
    }

    // Chinese, no webhook news, quiet from 22:00 to 06:00, the day's summary at 21:00.
    choose(b, "telegram-chat-language", "zh").await?;
    b.click("telegram-chat-event-webhook_off").await?;
    choose(b, "telegram-chat-quiet-from", "22").await?;
    choose(b, "telegram-chat-quiet-to", "6").await?;
    choose(b, "telegram-chat-summary-hour", "21").await?;
    b.click("telegram-chat-save").await?;
    b.wait_text("telegram-chat-feedback", "Saved").await?;
    b.wait_text("telegram-chat-info", "中文").await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.wait_text("telegram-chat-info", "中文").await?;
    for (testid, want) in [
        ("telegram-chat-language", "zh"),
        ("telegram-chat-quiet-from", "22"),
        ("telegram-chat-quiet-to", "6"),
        ("telegram-chat-summary-hour", "21"),
    ] {
        let got = b.prop(testid, "value").await?;
        if got != want {
            return Err(format!("after a reload {testid} is {got:?}, not {want:?}"));
        }
    }
    for (event, want) in [("paid", "true"), ("webhook_off", "false")] {
        let got = b
            .prop(&format!("telegram-chat-event-{event}"), "checked")
            .await?;
        if got != want {
            return Err(format!("after a reload {event} is ticked: {got}"));
        }
    }
    b.click("telegram-chat-test").await?;
    b.wait_text("telegram-chat-feedback", "Test message sent")
        .await?;
    let sent = bot.wait_sent(GROUP, sent.len()).await?;
    let test = sent.last().cloned().unwrap_or_default();
    if !has_chinese(&test) {
        return Err(format!("the Chinese group's test message is {test:?}"));
    }
    b.axe("settings with a linked Telegram group").await?;
    every_width_and_language(b, "telegram-chats", "group").await?;

    // The bot is removed from the group: the next message is refused, and the card says so with
    // Telegram's own words.
    bot.block(GROUP).await?;
    b.click("telegram-chat-test").await?;
    b.wait_attr_within(
        "telegram-chat",
        "data-status",
        "removed",
        Duration::from_secs(30),
    )
    .await?;
    b.wait_text("telegram-chat-removed", "kicked").await?;
    b.screenshot_at("telegram-chats", "telegram-removed-en")
        .await;
    b.click("lang-km").await?;
    b.screenshot_at("telegram-chats", "telegram-removed-km")
        .await;
    b.click("lang-en").await?;

    // Disconnected: two taps, and the group is gone.
    b.confirm("telegram-chat-remove").await?;
    b.wait_count("telegram-chat", 0).await?;
    b.find("telegram-chats-empty").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_links_a_telegram_group_tests_it_sets_it_and_disconnects_it() {
    let bot = TelegramStandIn::start();
    let server = Server::start_with(&[
        "--telegram-bot-token",
        TelegramStandIn::TOKEN,
        "--telegram-api-url",
        &bot.url,
    ]);
    crate::support::in_browser_on("telegram", server, async |b, s| {
        link_a_group(b, s, &bot).await
    })
    .await;
}

async fn no_bot(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@no-telegram.kh").await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.wait_text("telegram-no-bot", "tonle serve --telegram-bot-token")
        .await?;
    if b.count("telegram-link-form").await? != 0 {
        return Err("a server without a bot offers to link a group".into());
    }
    b.axe("settings without a Telegram bot").await?;
    every_width_and_language(b, "telegram-section", "no-bot").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_bot_the_telegram_card_says_how_to_set_one_up() {
    crate::support::in_browser("telegram-no-bot", async |b, s| no_bot(b, s).await).await;
}

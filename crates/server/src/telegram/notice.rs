//! What the bot posts besides payments: the link's confirmation, a test, a payment to review,
//! the day's summary, Bakong token trouble and a webhook endpoint turned off. Telegram HTML with
//! everything from people escaped, as in `text`; golden texts in km, zh and en below.

use khqr::Money;

use super::text::{Language, escape, money};

/// One day's takings of a chat's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// the shop-local date, `2026-12-07`
    pub date: String,
    /// per currency: total and count
    pub totals: Vec<(Money, u64)>,
    /// per counter (name), its totals, when the chat sees more than one counter
    pub counters: Vec<(String, Vec<(Money, u64)>)>,
}

fn pick(lang: Language, en: &'static str, km: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Language::En => en,
        Language::Km => km,
        Language::Zh => zh,
    }
}

/// The bot's answer in a chat just linked: which shop, and which part of it.
pub fn linked(lang: Language, shop: &str, scope: Option<&str>) -> String {
    let head = pick(
        lang,
        "🔗 This chat now receives tonle payment alerts for",
        "🔗 ជជែកនេះនឹងទទួលការជូនដំណឹងការបង់ប្រាក់ពី tonle សម្រាប់",
        "🔗 本群已开通 tonle 收款通知：",
    );
    let mut out = format!("{head} <b>{}</b>", escape(shop));
    if let Some(s) = scope {
        out.push_str(&format!(" · {}", escape(s)));
    }
    out
}

/// A test message, sent from Settings.
pub fn test(lang: Language) -> String {
    pick(
        lang,
        "🔔 Test message from tonle: payment alerts reach this chat.",
        "🔔 សារសាកល្បងពី tonle៖ ការជូនដំណឹងការបង់ប្រាក់មកដល់ជជែកនេះ។",
        "🔔 tonle 测试消息：收款通知可以送达本群。",
    )
    .to_owned()
}

/// A payment that settled no charge and waits in the review queue.
pub fn review(lang: Language, paid: &Money, when: &str, reference: &str) -> String {
    let head = pick(
        lang,
        "🔎 <b>Payment to review</b>: it matched no open charge.",
        "🔎 <b>ការបង់ប្រាក់ត្រូវពិនិត្យ</b>៖ មិនត្រូវនឹងការគិតប្រាក់ណាមួយទេ។",
        "🔎 <b>待核对付款</b>：未匹配到任何收款单。",
    );
    let open = pick(
        lang,
        "Open tonle → Review to keep or refund it.",
        "បើក tonle → ពិនិត្យ ដើម្បីរក្សាទុក ឬសងប្រាក់វិញ។",
        "请在 tonle → 待核对 中保留或退款。",
    );
    format!(
        "{head}\n<b>{}</b> · {when}\n<code>{}</code>\n{open}",
        money(paid),
        escape(reference)
    )
}

/// Bakong refuses the shop's token: payments are seen only from notifications until a new one.
pub fn bakong_refused(lang: Language) -> String {
    pick(
        lang,
        "⚠️ Bakong refused this shop's API token. tonle cannot check payments with Bakong until the owner saves a new token in Settings.",
        "⚠️ Bakong បានបដិសេធ token របស់ហាងនេះ។ tonle មិនអាចពិនិត្យការបង់ប្រាក់ជាមួយ Bakong បានទេ រហូតដល់ម្ចាស់រក្សាទុក token ថ្មីក្នុងការកំណត់។",
        "⚠️ Bakong 拒绝了本店的 API 令牌。店主在设置中保存新令牌之前，tonle 无法向 Bakong 核对付款。",
    )
    .to_owned()
}

/// The shop's Bakong token expires soon.
pub fn bakong_expiring(lang: Language, days: i64, date: &str) -> String {
    match lang {
        Language::En => format!(
            "⏳ The Bakong API token expires in {days} days ({date}). Renew it at api-bakong.nbc.gov.kh and save it in tonle's Settings."
        ),
        Language::Km => format!(
            "⏳ token Bakong API នឹងផុតកំណត់ក្នុងរយៈពេល {days} ថ្ងៃ ({date})។ សូមបន្តវានៅ api-bakong.nbc.gov.kh ហើយរក្សាទុកក្នុងការកំណត់ tonle។"
        ),
        Language::Zh => format!(
            "⏳ Bakong API 令牌将在 {days} 天后到期（{date}）。请在 api-bakong.nbc.gov.kh 续期并保存到 tonle 设置中。"
        ),
    }
}

/// tonle turned a webhook endpoint off.
pub fn webhook_off(lang: Language, url: &str, reason: &str) -> String {
    let head = pick(
        lang,
        "⚠️ tonle turned a webhook endpoint off",
        "⚠️ tonle បានបិទ webhook endpoint មួយ",
        "⚠️ tonle 已停用一个 Webhook 端点",
    );
    let again = pick(
        lang,
        "Turn it on again in Settings → Integrations once it answers.",
        "បើកវាវិញក្នុង ការកំណត់ → ការតភ្ជាប់ ពេលវាឆ្លើយតបវិញ។",
        "端点恢复后，请在 设置 → 集成 中重新启用。",
    );
    format!(
        "{head}: <code>{}</code>\n{}\n{again}",
        escape(url),
        escape(reason)
    )
}

fn totals_line(totals: &[(Money, u64)], unit: &str) -> String {
    totals
        .iter()
        .map(|(m, n)| format!("<b>{}</b> ({n} {unit})", money(m)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The day's summary: totals per currency with counts, then per counter. Payments marked to
/// refund are left out (as on the dashboard).
pub fn summary(lang: Language, s: &Summary) -> String {
    let head = pick(lang, "📊 Takings", "📊 ចំណូល", "📊 收款汇总");
    let unit = pick(lang, "payments", "ការបង់", "笔");
    let none = pick(
        lang,
        "No payments today.",
        "គ្មានការបង់ប្រាក់ថ្ងៃនេះទេ។",
        "今日无收款。",
    );
    let mut out = format!("{head} <b>{}</b>", escape(&s.date));
    if s.totals.is_empty() {
        out.push('\n');
        out.push_str(none);
        return out;
    }
    out.push('\n');
    out.push_str(&totals_line(&s.totals, unit));
    for (counter, totals) in &s.counters {
        out.push_str(&format!(
            "\n• {}: {}",
            escape(counter),
            totals_line(totals, unit)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use khqr::Currency;

    use super::*;

    fn m(amount: &str, c: Currency) -> Money {
        Money::parse(amount, c).expect("money")
    }

    fn day() -> Summary {
        Summary {
            date: "2026-12-07".into(),
            totals: vec![
                (m("125000", Currency::Khr), 5),
                (m("12.5", Currency::Usd), 2),
            ],
            counters: vec![
                ("Counter 1".into(), vec![(m("100000", Currency::Khr), 4)]),
                (
                    "Bar <2>".into(),
                    vec![
                        (m("25000", Currency::Khr), 1),
                        (m("12.5", Currency::Usd), 2),
                    ],
                ),
            ],
        }
    }

    #[test]
    fn golden_summaries() {
        assert_eq!(
            summary(Language::En, &day()),
            "📊 Takings <b>2026-12-07</b>\n<b>៛125,000</b> (5 payments) · <b>$12.50</b> (2 payments)\n\
             • Counter 1: <b>៛100,000</b> (4 payments)\n\
             • Bar &lt;2&gt;: <b>៛25,000</b> (1 payments) · <b>$12.50</b> (2 payments)"
        );
        assert_eq!(
            summary(Language::Zh, &day()),
            "📊 收款汇总 <b>2026-12-07</b>\n<b>៛125,000</b> (5 笔) · <b>$12.50</b> (2 笔)\n\
             • Counter 1: <b>៛100,000</b> (4 笔)\n\
             • Bar &lt;2&gt;: <b>៛25,000</b> (1 笔) · <b>$12.50</b> (2 笔)"
        );
        let empty = Summary {
            totals: vec![],
            counters: vec![],
            ..day()
        };
        assert_eq!(
            summary(Language::Km, &empty),
            "📊 ចំណូល <b>2026-12-07</b>\nគ្មានការបង់ប្រាក់ថ្ងៃនេះទេ។"
        );
    }

    #[test]
    fn golden_review_and_linked() {
        let paid = m("30000", Currency::Khr);
        assert_eq!(
            review(Language::En, &paid, "2026-12-07 14:05 (UTC+07:00)", "tx<1>"),
            "🔎 <b>Payment to review</b>: it matched no open charge.\n<b>៛30,000</b> · \
             2026-12-07 14:05 (UTC+07:00)\n<code>tx&lt;1&gt;</code>\nOpen tonle → Review to keep or refund it."
        );
        assert_eq!(
            linked(Language::Km, "Phsar & Co", Some("Counter 1")),
            "🔗 ជជែកនេះនឹងទទួលការជូនដំណឹងការបង់ប្រាក់ពី tonle សម្រាប់ <b>Phsar &amp; Co</b> · Counter 1"
        );
        assert_eq!(
            webhook_off(
                Language::Zh,
                "https://pos.example/h?a=1&b=2",
                "failing for 3 days"
            ),
            "⚠️ tonle 已停用一个 Webhook 端点: <code>https://pos.example/h?a=1&amp;b=2</code>\n\
             failing for 3 days\n端点恢复后，请在 设置 → 集成 中重新启用。"
        );
    }
}

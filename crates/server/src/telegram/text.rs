//! What the bot posts, in Khmer, Chinese and English: Telegram HTML (`parse_mode` HTML) with
//! everything that came from people or networks escaped (`<`, `>`, `&`; the only entities the
//! Bot API knows besides `&quot;`). Pure functions of their inputs, tested against golden texts.

use khqr::{Currency, Money};

/// The language a chat is posted to in.
pub use crate::api::ChatLanguage as Language;

/// One payment, as a chat is told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentAlert {
    /// what the shop received
    pub money: Money,
    /// paid after its QR expired: it waits for the merchant's decision
    pub late: bool,
    /// the counter's name, if the charge had one
    pub counter: Option<String>,
    /// the store's name
    pub store: Option<String>,
    /// when it was paid, epoch ms
    pub paid_at_ms: i64,
    /// the shop's offset from UTC, ms (Cambodia +7 h, China +8 h)
    pub utc_offset_ms: i64,
    /// the wallet's network: `Bakong`, `UnionPay`
    pub wallet: String,
    /// the payer's bank, when the network says
    pub payer_bank: Option<String>,
    /// what the payer paid in their own currency, when it was not the shop's (a UnionPay
    /// wallet paying in yuan), and the rate: units of the shop's currency per one of theirs
    pub payer_paid: Option<(Money, String)>,
    /// the charge's bill number
    pub bill_number: String,
    /// the network's transaction id or the Bakong hash: a rare duplicate is recognised by it
    pub reference: String,
}

/// The money with its sign, grouped: `៛25,000`, `$10.50`, `¥44.25`.
pub fn money(m: &Money) -> String {
    let sign = match m.currency {
        Currency::Khr => "៛",
        Currency::Usd => "$",
        Currency::Cny => "¥",
    };
    format!("{sign}{}", m.grouped())
}

/// `2026-12-07 14:05 (UTC+07:00)`: the shop's local time, with its zone.
pub fn local_time(epoch_ms: i64, utc_offset_ms: i64) -> String {
    let local = epoch_ms + utc_offset_ms;
    let day = local.div_euclid(86_400_000);
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    let offset_min = utc_offset_ms / 60_000;
    let sign = if offset_min < 0 { '-' } else { '+' };
    format!(
        "{} {:02}:{:02} (UTC{sign}{:02}:{:02})",
        protocol::calendar::civil_from_days(day),
        minutes / 60,
        minutes % 60,
        offset_min.abs() / 60,
        offset_min.abs() % 60
    )
}

/// Escapes text for Telegram HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The words of a payment message, per language.
struct Words {
    received: &'static str,
    late: &'static str,
    counter: &'static str,
    bill: &'static str,
    reference: &'static str,
    paid_in: &'static str,
    rate: &'static str,
    payments: &'static str,
}

const fn words(lang: Language) -> Words {
    match lang {
        Language::En => Words {
            received: "Received",
            late: "Paid late — waiting for your decision:",
            counter: "Counter",
            bill: "Bill",
            reference: "Ref",
            paid_in: "payer paid",
            rate: "rate",
            payments: "payments",
        },
        Language::Km => Words {
            received: "បានទទួល",
            late: "បង់យឺត — រង់ចាំការសម្រេចរបស់អ្នក៖",
            counter: "បញ្ជរ",
            bill: "វិក្កយបត្រ",
            reference: "លេខយោង",
            paid_in: "អ្នកបង់បានបង់",
            rate: "អត្រា",
            payments: "ការបង់ប្រាក់",
        },
        Language::Zh => Words {
            received: "已收款",
            late: "逾期付款，等待您处理：",
            counter: "收银台",
            bill: "账单号",
            reference: "流水号",
            paid_in: "付款人支付",
            rate: "汇率",
            payments: "笔付款",
        },
    }
}

/// The message for one payment.
pub fn payment(lang: Language, p: &PaymentAlert) -> String {
    let w = words(lang);
    let mut lines = Vec::with_capacity(6);
    lines.push(if p.late {
        format!("⚠️ <b>{} {}</b>", w.late, money(&p.money))
    } else {
        format!("✅ <b>{} {}</b>", w.received, money(&p.money))
    });
    let place: Vec<String> = [
        p.counter
            .as_ref()
            .map(|c| format!("{} {}", w.counter, escape(c))),
        p.store.as_deref().map(escape),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !place.is_empty() {
        lines.push(place.join(" · "));
    }
    lines.push(local_time(p.paid_at_ms, p.utc_offset_ms));
    let mut wallet = escape(&p.wallet);
    if let Some(bank) = &p.payer_bank {
        wallet.push_str(" · ");
        wallet.push_str(&escape(bank));
    }
    if let Some((paid, rate)) = &p.payer_paid {
        wallet.push_str(&format!(
            " · {} {} ({} {})",
            w.paid_in,
            money(paid),
            w.rate,
            escape(rate)
        ));
    }
    lines.push(wallet);
    lines.push(format!(
        "{} <code>{}</code>",
        w.bill,
        escape(&p.bill_number)
    ));
    lines.push(format!(
        "{} <code>{}</code>",
        w.reference,
        escape(&p.reference)
    ));
    lines.join("\n")
}

/// One message listing several payments (a chat's backlog past its pace, see `pace`): a line
/// each, with the time (no date: they are minutes apart), the amount, the counter, the bill
/// number and the reference; a late one is marked.
pub fn listing(lang: Language, payments: &[PaymentAlert]) -> String {
    let w = words(lang);
    let mut out = format!("✅ <b>{} {}</b>", payments.len(), w.payments);
    for p in payments {
        let time = local_time(p.paid_at_ms, p.utc_offset_ms);
        let hm = time.split(' ').nth(1).unwrap_or_default();
        out.push_str(&format!(
            "\n{}{hm} <b>{}</b>",
            if p.late { "⚠️ " } else { "" },
            money(&p.money)
        ));
        if let Some(c) = &p.counter {
            out.push_str(&format!(" · {}", escape(c)));
        }
        out.push_str(&format!(
            " · <code>{}</code> · <code>{}</code>",
            escape(&p.bill_number),
            escape(&p.reference)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert() -> PaymentAlert {
        PaymentAlert {
            money: Money::parse("25000", Currency::Khr).expect("money"),
            late: false,
            counter: Some("Counter <2>".into()),
            store: Some("Phsar & Co".into()),
            // 2026-12-07 07:05 UTC = 14:05 in Phnom Penh
            paid_at_ms: 1_796_627_100_000,
            utc_offset_ms: 7 * 3_600_000,
            wallet: "UnionPay".into(),
            payer_bank: Some("ICBC".into()),
            payer_paid: Some((
                Money::parse("44.25", Currency::Cny).expect("cny"),
                "565".into(),
            )),
            bill_number: "TL-0001".into(),
            reference: "4f3a9b2c".into(),
        }
    }

    #[test]
    fn golden_texts_in_three_languages() {
        let a = alert();
        assert_eq!(
            payment(Language::En, &a),
            "✅ <b>Received ៛25,000</b>\nCounter Counter &lt;2&gt; · Phsar &amp; Co\n\
             2026-12-07 14:05 (UTC+07:00)\nUnionPay · ICBC · payer paid ¥44.25 (rate 565)\n\
             Bill <code>TL-0001</code>\nRef <code>4f3a9b2c</code>"
        );
        assert_eq!(
            payment(Language::Km, &a),
            "✅ <b>បានទទួល ៛25,000</b>\nបញ្ជរ Counter &lt;2&gt; · Phsar &amp; Co\n\
             2026-12-07 14:05 (UTC+07:00)\nUnionPay · ICBC · អ្នកបង់បានបង់ ¥44.25 (អត្រា 565)\n\
             វិក្កយបត្រ <code>TL-0001</code>\nលេខយោង <code>4f3a9b2c</code>"
        );
        assert_eq!(
            payment(Language::Zh, &a),
            "✅ <b>已收款 ៛25,000</b>\n收银台 Counter &lt;2&gt; · Phsar &amp; Co\n\
             2026-12-07 14:05 (UTC+07:00)\nUnionPay · ICBC · 付款人支付 ¥44.25 (汇率 565)\n\
             账单号 <code>TL-0001</code>\n流水号 <code>4f3a9b2c</code>"
        );
    }

    #[test]
    fn a_late_dollar_payment_without_counter_or_bank() {
        let a = PaymentAlert {
            money: Money::parse("1234.5", Currency::Usd).expect("usd"),
            late: true,
            counter: None,
            store: None,
            payer_bank: None,
            payer_paid: None,
            wallet: "Bakong".into(),
            ..alert()
        };
        assert_eq!(
            payment(Language::En, &a),
            "⚠️ <b>Paid late — waiting for your decision: $1,234.50</b>\n\
             2026-12-07 14:05 (UTC+07:00)\nBakong\nBill <code>TL-0001</code>\nRef <code>4f3a9b2c</code>"
        );
    }

    #[test]
    fn a_listing_has_a_line_per_payment() {
        let late = PaymentAlert {
            late: true,
            counter: None,
            bill_number: "TL-0002".into(),
            ..alert()
        };
        assert_eq!(
            listing(Language::Zh, &[alert(), late]),
            "✅ <b>2 笔付款</b>\n14:05 <b>៛25,000</b> · Counter &lt;2&gt; · <code>TL-0001</code> · \
             <code>4f3a9b2c</code>\n⚠️ 14:05 <b>៛25,000</b> · <code>TL-0002</code> · <code>4f3a9b2c</code>"
        );
    }

    #[test]
    fn times_cross_midnight_in_the_shops_zone() {
        // 2026-12-07 17:30 UTC is 01:30 the next day in Shanghai.
        assert_eq!(
            local_time(1_796_664_600_000, 8 * 3_600_000),
            "2026-12-08 01:30 (UTC+08:00)"
        );
    }

    #[test]
    fn everything_people_type_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
        );
    }
}

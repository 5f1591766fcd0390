//! Differential test against the NBC's official SDK (npm `bakong-khqr` 1.0.20, run by node):
//! thousands of generated inputs, and for each, our bytes, md5 and error names must match the
//! SDK's wherever the SDK is right; where it is wrong we must refuse with a clear error.
//! Skipped (with a note) when node or the SDK is absent, unless TONLE_REQUIRE_PARITY=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: test code

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use khqr::{AccountKind, Currency, KhqrInput};
use serde_json::{Value, json};

const NOW: u64 = 1_780_000_000_000;

fn sdk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk")
}

fn sdk_available() -> bool {
    let ok = sdk_dir()
        .join("node_modules/bakong-khqr/package.json")
        .is_file()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("TONLE_REQUIRE_PARITY").is_err(),
            "TONLE_REQUIRE_PARITY=1 but node or the SDK is missing (npm ci --prefix crates/khqr/tests/sdk)"
        );
        eprintln!("parity: node or bakong-khqr not installed; skipped");
    }
    ok
}

fn run_sdk(mode: &str, lines: &[String]) -> Vec<Value> {
    let mut child = Command::new("node")
        .arg(sdk_dir().join("sdk.js"))
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = lines.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), lines.len());
    v
}

/// xorshift: deterministic cases without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

fn opt(r: &mut Rng, pct: u64, xs: &[&str]) -> Option<String> {
    r.chance(pct).then(|| r.pick(xs).to_owned())
}

struct Case {
    input: KhqrInput,
    amount_text: Option<String>,
}

fn gen_case(r: &mut Rng) -> Case {
    let s25 = "A".repeat(25);
    let s26 = "B".repeat(26);
    let s32 = "c".repeat(31) + "@";
    let s33 = "d".repeat(32) + "@";
    let s15 = "C".repeat(15);
    let s16 = "D".repeat(16);
    let s100 = "9".repeat(100);
    let kind = if r.chance(30) {
        AccountKind::Merchant
    } else {
        AccountKind::Individual
    };
    let amount_text = opt(
        r,
        70,
        &[
            "0",
            "100",
            "100.0",
            "1.5",
            "1.10",
            "1.12",
            "1.123",
            "100.5",
            "-5",
            "9999999999",
            "9999999999.99",
            "12345678901234",
            "0.01",
            "1e2",
            "48000",
            "12.5",
            "1000000",
        ],
    );
    let tail = |r: &mut Rng, base: &str| format!("{base}{}", r.next() % 1000);
    Case {
        input: KhqrInput {
            kind,
            bakong_account_id: r
                .pick(&[
                    "jonhsmith@nbcq",
                    "shop@aclb",
                    "nobank",
                    "",
                    &s32,
                    &s33,
                    "a@b@c",
                ])
                .to_owned(),
            merchant_name: r
                .pick(&[
                    "Jonh Smith",
                    "ចន ស្មីន",
                    "北京烤鸭店",
                    &s25,
                    &s26,
                    "",
                    "Coffee Klaing",
                ])
                .to_owned(),
            merchant_city: opt(
                r,
                70,
                &["Phnom Penh", "Siem Reap", "សៀមរាប", &s15, &s16, ""],
            ),
            merchant_id: opt(r, 85, &["123456", "", &s32, &s33]),
            acquiring_bank: opt(r, 60, &["Dev Bank", "ACLEDA", "", &s32, &s33]),
            account_information: opt(r, 30, &["0968650725", &s33]),
            currency: if r.chance(20) {
                None
            } else if r.chance(50) {
                Some(Currency::Usd)
            } else {
                Some(Currency::Khr)
            },
            amount: None,
            merchant_category_code: opt(
                r,
                30,
                &["5999", "0000", "5812", "123", "1A2B", "-100", "12345"],
            ),
            bill_number: opt(r, 40, &["#INV-2003", "TL-000001", &s25, &s26])
                .map(|b| if b.len() < 20 { tail(r, &b) } else { b }),
            mobile_number: opt(r, 20, &["85512345678", &s25, &s26]),
            store_label: opt(r, 20, &["Coffee Shop", &s25, &s26]),
            terminal_label: opt(r, 25, &["Cashier_1", &s25, &s26]),
            purpose_of_transaction: opt(r, 15, &["Buy coffee", &s25, &s26]),
            language_preference: opt(r, 25, &["km", "zh", "khm"]),
            merchant_name_alternate_language: opt(r, 25, &["ចន ស្មីន", "北京烤鸭店", &s26]),
            merchant_city_alternate_language: opt(r, 15, &["ភ្នំពេញ", "金边", &s16]),
            upi_merchant_account: opt(r, 20, &["1974011600520446ACLB10002312081", &s100]),
            created_at_ms: Some(NOW),
            expires_at_ms: if r.chance(10) {
                None
            } else {
                Some(
                    *[NOW + 120_000, NOW - 1, 1_780_000_000, NOW + 1]
                        .get((r.next() % 4) as usize)
                        .unwrap(),
                )
            },
        },
        amount_text,
    }
}

/// Half the cases are clean (valid except for what the dice add), so identical bytes are common.
fn gen_clean_case(r: &mut Rng) -> Case {
    let mut c = gen_case(r);
    let i = &mut c.input;
    i.bakong_account_id = r
        .pick(&["jonhsmith@nbcq", "shop@aclb", "khqr@devb"])
        .to_owned();
    i.merchant_name = r
        .pick(&["Jonh Smith", "ចន ស្មីន", "北京烤鸭店", "Coffee Klaing"])
        .to_owned();
    i.merchant_city = opt(r, 60, &["Phnom Penh", "Siem Reap", "សៀមរាប"]);
    if i.kind == AccountKind::Merchant {
        i.merchant_id = Some("123456".into());
        i.acquiring_bank = Some(r.pick(&["Dev Bank", "ACLEDA"]).to_owned());
    } else {
        i.acquiring_bank = opt(r, 40, &["Dev Bank", "ACLEDA"]);
        i.account_information = opt(r, 30, &["0968650725"]);
    }
    i.merchant_category_code = opt(r, 30, &["5999", "0000", "5812"]);
    for f in [
        &mut i.bill_number,
        &mut i.mobile_number,
        &mut i.store_label,
        &mut i.terminal_label,
        &mut i.purpose_of_transaction,
    ] {
        if f.as_ref().is_some_and(|v| v.chars().count() > 20) {
            *f = Some("Counter 7".into());
        }
    }
    if i.merchant_name_alternate_language.is_some() || i.language_preference.is_some() {
        i.language_preference = Some(r.pick(&["km", "zh"]).to_owned());
        i.merchant_name_alternate_language = Some(r.pick(&["ចន ស្មីន", "北京烤鸭店"]).to_owned());
    }
    if i.merchant_city_alternate_language
        .as_ref()
        .is_some_and(|v| v.chars().count() > 15)
    {
        i.merchant_city_alternate_language = Some("金边".into());
    }
    if i.currency == Some(Currency::Usd) {
        i.upi_merchant_account = None;
    } else if i
        .upi_merchant_account
        .as_ref()
        .is_some_and(|u| u.len() > 99)
    {
        i.upi_merchant_account = Some("1974011600520446ACLB10002312081".into());
    }
    i.expires_at_ms = Some(NOW + 120_000);
    c.amount_text = opt(
        r,
        75,
        &[
            "100",
            "100.0",
            "1.5",
            "1.10",
            "1.12",
            "9999999999",
            "0.01",
            "1e2",
            "48000",
            "12.5",
            "0",
        ],
    );
    if i.currency != Some(Currency::Usd)
        && c.amount_text
            .as_deref()
            .is_some_and(|a| a.contains('.') && a != "100.0")
    {
        c.amount_text = Some("5000".into());
    }
    c
}

fn case_json(c: &Case) -> String {
    let i = &c.input;
    let v = json!({
        "kind": if i.kind == AccountKind::Merchant { "merchant" } else { "individual" },
        "bakong_account_id": i.bakong_account_id, "merchant_name": i.merchant_name,
        "merchant_city": i.merchant_city, "merchant_id": i.merchant_id, "acquiring_bank": i.acquiring_bank,
        "account_information": i.account_information, "currency": i.currency.map(|c| c.code()),
        "merchant_category_code": i.merchant_category_code, "bill_number": i.bill_number,
        "mobile_number": i.mobile_number, "store_label": i.store_label, "terminal_label": i.terminal_label,
        "purpose_of_transaction": i.purpose_of_transaction, "language_preference": i.language_preference,
        "merchant_name_alternate_language": i.merchant_name_alternate_language,
        "merchant_city_alternate_language": i.merchant_city_alternate_language,
        "upi_merchant_account": i.upi_merchant_account, "expires_at_ms": i.expires_at_ms, "now_ms": NOW,
    });
    let text = v.to_string();
    // Splice the amount as written, so JavaScript reads exactly the literal we encode.
    match &c.amount_text {
        Some(a) => format!("{{\"amount\":{a},{}", &text[1..]),
        None => text,
    }
}

/// Where the SDK is knowingly wrong, the error we give instead.
fn known_sdk_fault(c: &Case, sdk: &Value) -> Option<&'static str> {
    let i = &c.input;
    if sdk.get("crash").is_some() {
        return Some("LANGUAGE_PREFERENCE_REQUIRED");
    }
    let payload = sdk.get("payload")?.as_str()?;
    if khqr::tlv::parse(payload).is_err() {
        return Some("TEMPLATE_TOO_LONG");
    }
    let mcc = i.merchant_category_code.as_deref().unwrap_or("5999");
    if mcc.len() != 4 {
        return Some("INVALID_MERCHANT_CATEGORY_CODE");
    }
    if i.merchant_city_alternate_language
        .as_deref()
        .is_some_and(|s| !s.is_empty())
        && i.merchant_name_alternate_language
            .as_deref()
            .is_none_or(str::is_empty)
    {
        return Some("MERCHANT_NAME_ALTERNATE_LANGUAGE_REQUIRED");
    }
    None
}

#[test]
fn encode_matches_the_official_sdk_byte_for_byte() {
    if !sdk_available() {
        return;
    }
    let mut r = Rng(0x7013_1e5d_c0de_u64);
    let cases: Vec<Case> = (0..4000)
        .map(|n| {
            if n % 2 == 0 {
                gen_clean_case(&mut r)
            } else {
                gen_case(&mut r)
            }
        })
        .collect();
    let lines: Vec<String> = cases.iter().map(case_json).collect();
    let sdk = run_sdk("encode", &lines);
    let (mut same_bytes, mut same_error, mut stricter) = (0, 0, 0);
    for (i, (c, s)) in cases.iter().zip(&sdk).enumerate() {
        let mut input = c.input.clone();
        input.amount = c.amount_text.clone();
        let ours = khqr::khqr::encode(&input, NOW);
        let ctx = || format!("case {i}: {}\n sdk: {s}\n ours: {ours:?}", lines[i]);
        if let Some(code) = known_sdk_fault(c, s) {
            assert_eq!(
                ours.as_ref().err().map(|e| e.code.name()),
                Some(code),
                "{}",
                ctx()
            );
            stricter += 1;
        } else if let Some(payload) = s.get("payload").and_then(Value::as_str) {
            let e = ours.as_ref().unwrap_or_else(|_| panic!("{}", ctx()));
            assert_eq!(e.payload, payload, "{}", ctx());
            assert_eq!(Some(e.md5.as_str()), s["md5"].as_str(), "{}", ctx());
            same_bytes += 1;
        } else {
            let name = s["error"].as_str().unwrap_or("?");
            assert_eq!(
                ours.as_ref().err().map(|e| e.code.name()),
                Some(name),
                "{}",
                ctx()
            );
            same_error += 1;
        }
    }
    eprintln!(
        "parity encode: {same_bytes} identical payloads, {same_error} identical errors, {stricter} stricter refusals"
    );
    assert!(
        same_bytes > 1000 && same_error > 1000,
        "the generator must exercise both paths"
    );
}

fn mutations(payload: &str, r: &mut Rng) -> Vec<String> {
    let chars: Vec<char> = payload.chars().collect();
    let at = (r.next() % chars.len() as u64) as usize;
    let mut flipped = chars.clone();
    flipped[at] = if flipped[at] == '1' { '2' } else { '1' };
    let n = chars.len();
    let crc: String = chars[n - 4..].iter().collect();
    let body: String = chars[..n - 4].iter().collect();
    let without_crc: String = chars[..n - 8].iter().collect();
    let recrc = |s: &str| {
        let b = format!("{s}6304");
        let c = khqr::crc::crc_hex(b.as_bytes());
        format!("{b}{c}")
    };
    let cut: String = without_crc
        .chars()
        .take(without_crc.chars().count().saturating_sub(10))
        .collect();
    vec![
        payload.to_owned(),
        format!("{body}{}", crc.to_lowercase()),
        flipped.into_iter().collect(),
        chars[..n - 1].iter().collect(),
        format!("{body}0000"),
        recrc(&without_crc.replacen("5802KH", "5802TH", 1)),
        recrc(&without_crc.replacen("010212", "010213", 1)),
        recrc(&without_crc.replacen("5204", "5205", 1)),
        recrc(&cut),
        String::new(),
        "6304ABCD".to_owned(),
    ]
}

#[test]
fn verify_agrees_with_the_official_sdk_on_valid_and_corrupted_payloads() {
    if !sdk_available() {
        return;
    }
    let mut r = Rng(0xbeef_cafe_1234);
    let mut payloads = vec![
        "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap64280002km0108ចន ស្មីន0206សៀមរាប6304A8B1".to_owned(),
        "00020101021215311974011600520446ACLB1000231208129200016chantha_dev@ftcc520459995303116540410005802KH5911Chantha Dev6010Phnom Penh63046011".to_owned(),
    ];
    while payloads.len() < 2000 {
        let mut c = gen_clean_case(&mut r);
        c.input.amount = c.amount_text.clone();
        if let Ok(e) = khqr::khqr::encode(&c.input, NOW) {
            payloads.extend(mutations(&e.payload, &mut r));
        }
    }
    let lines: Vec<String> = payloads
        .iter()
        .map(|p| json!({"payload": p, "now_ms": NOW + 1000}).to_string())
        .collect();
    let sdk = run_sdk("verify", &lines);
    let mut agree = 0;
    for (p, s) in payloads.iter().zip(&sdk) {
        let theirs = s["valid"].as_bool().unwrap_or(false);
        let ours = khqr::khqr::verify(p, NOW + 1000);
        assert_eq!(
            ours.is_ok(),
            theirs,
            "payload {p:?}: sdk {theirs}, ours {ours:?}"
        );
        agree += 1;
    }
    eprintln!("parity verify: {agree} payloads agree");
}

#[test]
fn decode_returns_the_sdk_fields() {
    if !sdk_available() {
        return;
    }
    let mut r = Rng(0x5eed_0000_0042);
    let mut payloads = Vec::new();
    while payloads.len() < 500 {
        let mut c = gen_clean_case(&mut r);
        c.input.amount = c.amount_text.clone();
        if let Ok(e) = khqr::khqr::encode(&c.input, NOW) {
            payloads.push(e.payload);
        }
    }
    let lines: Vec<String> = payloads
        .iter()
        .map(|p| json!({"payload": p}).to_string())
        .collect();
    let sdk = run_sdk("decode", &lines);
    for (p, s) in payloads.iter().zip(&sdk) {
        let d = khqr::decode_any(p).unwrap();
        let f = &d.fields;
        let pairs: [(&str, Option<String>); 16] = [
            ("bakongAccountID", f.bakong_account_id.clone()),
            ("merchantID", f.merchant_id.clone()),
            ("accountInformation", f.account_information.clone()),
            ("acquiringBank", f.acquiring_bank.clone()),
            ("billNumber", f.bill_number.clone()),
            ("mobileNumber", f.mobile_number.clone()),
            ("storeLabel", f.store_label.clone()),
            ("terminalLabel", f.terminal_label.clone()),
            ("purposeOfTransaction", f.purpose_of_transaction.clone()),
            ("languagePreference", f.language_preference.clone()),
            (
                "merchantNameAlternateLanguage",
                f.merchant_name_alternate_language.clone(),
            ),
            (
                "merchantCityAlternateLanguage",
                f.merchant_city_alternate_language.clone(),
            ),
            ("unionPayMerchant", f.upi_merchant_account.clone()),
            ("merchantCategoryCode", f.merchant_category_code.clone()),
            ("transactionAmount", f.amount.clone()),
            ("merchantName", f.merchant_name.clone()),
        ];
        for (key, ours) in pairs {
            let theirs = s[key].as_str().map(str::to_owned);
            assert_eq!(ours, theirs, "{key} of {p}");
        }
        assert_eq!(
            f.currency
                .as_deref()
                .and_then(Currency::from_code)
                .map(|c| c.numeric()),
            s["transactionCurrency"].as_str()
        );
        assert_eq!(
            f.expires_at_ms.map(|v| v.to_string()).as_deref(),
            s["expirationTimestamp"].as_str(),
            "{p}"
        );
    }
}

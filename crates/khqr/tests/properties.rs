//! Property tests: what we encode decodes back to the input, and no string makes the codec panic.
#![allow(clippy::unwrap_used)] // reason: test code

use khqr::{AccountKind, Currency, KhqrInput};
use proptest::prelude::*;

const NOW: u64 = 1_780_000_000_000;

fn text(max: usize) -> impl Strategy<Value = String> {
    // ASCII, Khmer and CJK, as merchants write names.
    proptest::string::string_regex(&format!(
        "[A-Za-z0-9 #._-]{{1,{max}}}|[ក-៹]{{1,{max}}}|[一-龥]{{1,{max}}}"
    ))
    .unwrap()
}

prop_compose! {
    fn input()(
        merchant in any::<bool>(),
        name in text(25),
        city in text(15),
        account in "[a-z0-9_]{1,20}@[a-z]{2,8}",
        usd in any::<bool>(),
        amount in 0u64..100_000_000,
        bill in proptest::option::of("[A-Z0-9-]{1,25}"),
        terminal in proptest::option::of("[A-Za-z0-9 ]{1,25}"),
        alt in proptest::option::of(text(25)),
    ) -> (KhqrInput, u64) {
        let currency = if usd { Currency::Usd } else { Currency::Khr };
        let amount_text = if usd { format!("{}.{:02}", amount / 100, amount % 100) } else { amount.to_string() };
        (KhqrInput {
            kind: if merchant { AccountKind::Merchant } else { AccountKind::Individual },
            bakong_account_id: account,
            merchant_name: name,
            merchant_city: Some(city),
            merchant_id: merchant.then(|| "M123456".to_owned()),
            acquiring_bank: merchant.then(|| "Dev Bank".to_owned()),
            currency: Some(currency),
            amount: Some(amount_text),
            bill_number: bill,
            terminal_label: terminal,
            language_preference: alt.as_ref().map(|_| "km".to_owned()),
            merchant_name_alternate_language: alt,
            created_at_ms: Some(NOW),
            expires_at_ms: Some(NOW + 60_000),
            ..Default::default()
        }, amount)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn encode_then_decode_returns_the_input((input, amount) in input()) {
        let encoded = match khqr::khqr::encode(&input, NOW) {
            Ok(e) => e,
            // Long Khmer/CJK fields can legitimately overflow a 99-character template.
            Err(e) => { prop_assert_eq!(e.code, khqr::ErrorCode::TemplateTooLong); return Ok(()); }
        };
        let f = khqr::khqr::verify(&encoded.payload, NOW).unwrap();
        prop_assert_eq!(f.merchant_name.as_deref(), Some(input.merchant_name.as_str()));
        prop_assert_eq!(f.merchant_city.clone(), input.merchant_city.clone());
        prop_assert_eq!(f.bakong_account_id.as_deref(), Some(input.bakong_account_id.as_str()));
        prop_assert_eq!(f.bill_number.clone(), input.bill_number.clone());
        prop_assert_eq!(f.terminal_label.clone(), input.terminal_label.clone());
        prop_assert_eq!(f.merchant_name_alternate_language.clone(), input.merchant_name_alternate_language.clone());
        prop_assert_eq!(f.is_dynamic(), amount != 0);
        if amount != 0 {
            let cur = input.currency.unwrap();
            let back = khqr::Money::parse(f.amount.as_deref().unwrap(), cur).unwrap();
            let sent = khqr::Money::parse(input.amount.as_deref().unwrap(), cur).unwrap();
            prop_assert_eq!(back, sent);
            prop_assert_eq!(f.expires_at_ms, input.expires_at_ms);
        }
        let tree = khqr::tlv::parse(&encoded.payload).unwrap();
        prop_assert_eq!(khqr::tlv::write(&tree).unwrap(), encoded.payload.clone());
    }

    #[test]
    fn any_single_character_change_breaks_verification((input, _) in input(), at in any::<prop::sample::Index>(), with in "[0-9A-Z]") {
        let Ok(encoded) = khqr::khqr::encode(&input, NOW) else { return Ok(()) };
        let mut chars: Vec<char> = encoded.payload.chars().collect();
        let i = at.index(chars.len());
        let c = with.chars().next().unwrap();
        prop_assume!(!chars[i].eq_ignore_ascii_case(&c));
        chars[i] = c;
        let changed: String = chars.into_iter().collect();
        prop_assert!(khqr::khqr::verify(&changed, NOW).is_err());
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,300}") {
        let _ = khqr::decode_any(&s);
        let _ = khqr::khqr::verify(&s, NOW);
        let _ = khqr::tlv::parse_lenient(&s);
    }

    #[test]
    fn remembered_prefixes_never_change_a_digest(
        head in "[A-Za-z0-9ក-៹]{0,70}",
        tails in proptest::collection::vec("[A-Za-z0-9 ]{0,80}", 1..6),
    ) {
        // Codes sharing (or nearly sharing) a first block, hashed in turn on one thread.
        for tail in &tails {
            for payload in [format!("{head}{tail}"), format!("{tail}{head}"), head.clone()] {
                prop_assert_eq!(khqr::khqr::Md5::of(&payload), khqr::khqr::Md5::uncached(&payload));
                prop_assert_eq!(khqr::crc::crc16(payload.as_bytes()), khqr::crc::crc16_uncached(payload.as_bytes()));
            }
        }
    }

    #[test]
    fn tlv_shaped_garbage_never_panics(s in "([0-9]{2}[0-9]{2}[A-Za-z0-9ក-៹]{0,12}){0,20}") {
        let _ = khqr::decode_any(&s);
        let _ = khqr::khqr::verify(&s, NOW);
    }
}

//! The test vectors of shared/docs/standards.md §7 (SDK-generated payloads): CRC, md5, fields,
//! byte-identical re-serialization, and verify results (every dynamic vector has expired by now).
#![allow(clippy::unwrap_used)] // reason: test code

use khqr::tlv::Tlv;
use khqr::{AccountKind, ErrorCode, Scheme};

struct Vector {
    name: &'static str,
    payload: &'static str,
    crc: &'static str,
    md5: &'static str,
    verify: Result<(), ErrorCode>,
}

const NOW: u64 = 1_795_000_000_000; // 2026-11

const VECTORS: &[Vector] = &[
    Vector {
        name: "V2 static individual, Khmer alt language",
        payload: "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap64280002km0108ចន ស្មីន0206សៀមរាប6304A8B1",
        crc: "A8B1",
        md5: "95863987758c3bfb7fd45f729d45ea3e",
        verify: Ok(()),
    },
    Vector {
        name: "V3 static merchant USD",
        payload: "00020101021130400014jonhsmith@devb01061234560208Dev Bank5204599953038405802KH5910Jonh Smith6010Phnom Penh630484CA",
        crc: "84CA",
        md5: "e52e50b99565a9455776ccaf4ecbd3c6",
        verify: Ok(()),
    },
    Vector {
        name: "V4 62 mobile + purpose",
        payload: "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6010Phnom Penh62260211855123456780807Testing6304A586",
        crc: "A586",
        md5: "3c0969d210aef5139859c45a1d568571",
        verify: Ok(()),
    },
    Vector {
        name: "V6 UnionPay tag 15",
        payload: "00020101021115311974011600520446ACLB1000231208129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6010Phnom Penh63044637",
        crc: "4637",
        md5: "239faed7c29d7212896d37a823c9db87",
        verify: Ok(()),
    },
    Vector {
        name: "V7 dynamic without 99",
        payload: "00020101021215311974011600520446ACLB1000231208129200016chantha_dev@ftcc520459995303116540410005802KH5911Chantha Dev6010Phnom Penh63046011",
        crc: "6011",
        md5: "9757ce7e978846b2e0eabbc02e4aea6d",
        verify: Err(ErrorCode::ExpirationTimestampRequired),
    },
    Vector {
        name: "V8 full individual dynamic",
        payload: "00020101021229460015john_smith@devb0111855122334550208Dev Bank52045999530384054031005802KH5910John Smith6010PHNOM PENH62670106#123450211855122334550311Coffee Shop0709Cashier_10810Buy coffee64280002km0108ចន ស្មីន0206ភ្នំពញ993400131726821915797011317268220357976304B73E",
        crc: "B73E",
        md5: "b472c69759d229f650f331ecd2853504",
        verify: Err(ErrorCode::KhqrExpired),
    },
    Vector {
        name: "V9 full merchant dynamic",
        payload: "00020101021230350009khqr@devb01061234560208Dev Bank52045999530384054031005802KH5910John Smith6010PHNOM PENH62670106#123450211855122334550311Coffee Shop0709Cashier_10810Buy coffee64280002km0108ចន ស្មីន0206ភ្នំពញ993400131726822962612011317268230826126304A560",
        crc: "A560",
        md5: "6f03a39cbbf5fa66ab5d2daf990a809d",
        verify: Err(ErrorCode::KhqrExpired),
    },
    Vector {
        name: "V11 creation timestamp only",
        payload: "00020101021229190015john_smith@devb52045999530311654065000.05802KH5910jonh smith6010Phnom Penh62360109#INV-20030313Coffee Klaing0702#299170013161302797275763049ACF",
        crc: "9ACF",
        md5: "dd217f94900660d885c0b015d51991f4",
        verify: Err(ErrorCode::ExpirationTimestampRequired),
    },
];

#[test]
fn every_vector_decodes_checks_and_reserializes_byte_for_byte() {
    for v in VECTORS {
        let d = khqr::decode_any(v.payload).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert!(d.crc_valid, "{}", v.name);
        assert_eq!(d.scheme, Scheme::Khqr, "{}", v.name);
        assert_eq!(d.fields.crc.as_deref(), Some(v.crc), "{}", v.name);
        assert_eq!(khqr::khqr::md5_hex(v.payload), v.md5, "{}", v.name);
        assert_eq!(khqr::tlv::write(&d.tlv).unwrap(), v.payload, "{}", v.name);
        assert_eq!(
            khqr::tlv::write_with_crc(&d.tlv).unwrap(),
            v.payload,
            "{}",
            v.name
        );
        let got = khqr::khqr::verify(v.payload, NOW)
            .map(|_| ())
            .map_err(|e| e.code);
        assert_eq!(got, v.verify, "{}", v.name);
    }
}

#[test]
fn v8_fields_are_read_as_the_sdk_reads_them() {
    let f = khqr::decode_any(VECTORS[5].payload).unwrap().fields;
    assert_eq!(f.kind, Some(AccountKind::Individual));
    assert_eq!(f.bakong_account_id.as_deref(), Some("john_smith@devb"));
    assert_eq!(f.account_information.as_deref(), Some("85512233455"));
    assert_eq!(f.currency.as_deref(), Some("USD"));
    assert_eq!(f.amount.as_deref(), Some("100"));
    assert_eq!(f.bill_number.as_deref(), Some("#12345"));
    assert_eq!(f.terminal_label.as_deref(), Some("Cashier_1"));
    assert_eq!(f.merchant_city_alternate_language.as_deref(), Some("ភ្នំពញ"));
    assert_eq!(f.created_at_ms, Some(1_726_821_915_797));
    assert_eq!(f.expires_at_ms, Some(1_726_822_035_797));
    // Before its expiry it verified.
    assert!(khqr::khqr::verify(VECTORS[5].payload, 1_726_821_999_000).is_ok());
}

#[test]
fn the_emvco_crc_is_over_utf8_bytes() {
    assert_eq!(khqr::crc::crc_hex(b"123456789"), "29B1");
    assert_eq!(khqr::crc::crc_hex(b""), "FFFF");
    // A Khmer payload's CRC only matches when computed over UTF-8 bytes, not UTF-16 units.
    let v2 = VECTORS[0].payload;
    let body = &v2[..v2.len() - 4];
    assert_eq!(khqr::crc::crc_hex(body.as_bytes()), "A8B1");
}

fn payload(accounts: Vec<Tlv>, currency: &str, country: &str) -> String {
    let mut root = vec![Tlv::primitive("00", "01"), Tlv::primitive("01", "11")];
    root.extend(accounts);
    root.extend([
        Tlv::primitive("52", "0000"),
        Tlv::primitive("53", currency),
        Tlv::primitive("58", country),
        Tlv::primitive("59", "Shop"),
        Tlv::primitive("60", "City"),
    ]);
    khqr::tlv::write_with_crc(&root).unwrap()
}

fn account(id: &str, guid: &str, more: &[(&str, &str)]) -> Tlv {
    let mut c = vec![Tlv::primitive("00", guid)];
    c.extend(more.iter().map(|(i, v)| Tlv::primitive(i, *v)));
    Tlv::template(id, c)
}

#[test]
fn other_schemes_are_recognised_from_their_account_templates() {
    let cases = [
        (
            payload(
                vec![account(
                    "29",
                    "A000000677010111",
                    &[("01", "0066812345678")],
                )],
                "764",
                "TH",
            ),
            Scheme::Promptpay,
        ),
        (
            payload(
                vec![account(
                    "26",
                    "SG.PAYNOW",
                    &[("01", "2"), ("02", "200212345C")],
                )],
                "702",
                "SG",
            ),
            Scheme::Paynow,
        ),
        (
            payload(
                vec![account("26", "br.gov.bcb.pix", &[("01", "12345678901")])],
                "986",
                "BR",
            ),
            Scheme::Pix,
        ),
        (
            payload(
                vec![account(
                    "51",
                    "ID.CO.QRIS.WWW",
                    &[("02", "ID1020021181745")],
                )],
                "360",
                "ID",
            ),
            Scheme::Qris,
        ),
        (
            payload(
                vec![account("38", "A000000727", &[("01", "970415")])],
                "704",
                "VN",
            ),
            Scheme::Vietqr,
        ),
        (
            payload(
                vec![Tlv::primitive("15", "2500034400020344473398443761123")],
                "156",
                "CN",
            ),
            Scheme::Unionpay,
        ),
        (
            payload(
                vec![account("27", "com.example", &[("01", "1")])],
                "840",
                "US",
            ),
            Scheme::Emvco,
        ),
    ];
    for (p, scheme) in cases {
        let d = khqr::decode_any(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(d.scheme, scheme, "{p}");
        assert!(d.crc_valid);
        assert_eq!(khqr::tlv::write(&d.tlv).unwrap(), p);
    }
}

#[test]
fn unknown_tags_and_any_order_survive_a_round_trip() {
    // 02 (Visa), 39 (unknown template), 65 (RFU) and 99 before 64: kept, in place.
    let root = vec![
        Tlv::primitive("00", "01"),
        Tlv::primitive("01", "11"),
        Tlv::primitive("02", "4111111111111111"),
        account("39", "com.test", &[]),
        Tlv::primitive("53", "116"),
        Tlv::primitive("52", "5999"),
        Tlv::primitive("58", "KH"),
        Tlv::primitive("59", "Shop"),
        Tlv::primitive("60", "City"),
        Tlv::primitive("65", "hello"),
        Tlv::template("99", vec![Tlv::primitive("00", "1234567")]),
        Tlv::template(
            "64",
            vec![Tlv::primitive("00", "zh"), Tlv::primitive("01", "金边小店")],
        ),
    ];
    let p = khqr::tlv::write_with_crc(&root).unwrap();
    let d = khqr::decode_any(&p).unwrap();
    assert_eq!(khqr::tlv::write(&d.tlv).unwrap(), p);
    assert!(
        d.tlv
            .iter()
            .any(|t| t.id == "65" && t.text() == Some("hello"))
    );
    assert_eq!(
        d.fields.merchant_name_alternate_language.as_deref(),
        Some("金边小店")
    );
    // Out of order is fine; 00 not first or 63 not last is not.
    let moved = p.replacen("000201", "", 1) + "";
    assert!(khqr::decode_any(&moved).is_err());
}

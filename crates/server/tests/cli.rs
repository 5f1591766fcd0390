//! The `tonle qr` CLI through the real binary: line in, JSON line out, every line answered.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: test code

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &str) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tonle"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const V2: &str = "00020101021129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6009Siam Reap64280002km0108ចន ស្មីន0206សៀមរាប6304A8B1";

#[test]
fn encode_answers_each_line_with_a_payload_or_a_named_error() {
    let input = [
        r#"{"kind":"individual","bakong_account_id":"jonhsmith@nbcq","merchant_name":"Jonh Smith","merchant_city":"Siam Reap","language_preference":"km","merchant_name_alternate_language":"ចន ស្មីន","merchant_city_alternate_language":"សៀមរាប"}"#,
        r#"{"kind":"merchant","bakong_account_id":"jonhsmith@devb","merchant_name":"Jonh Smith","merchant_id":"123456","acquiring_bank":"Dev Bank","currency":"USD","amount":1.5,"expires_at_ms":4102444800000,"created_at_ms":1780000000000}"#,
        r#"{"bakong_account_id":"jonhsmith@nbcq","merchant_name":"Jonh Smith","amount":100.5,"expires_at_ms":4102444800000}"#,
        r#"not json"#,
        r#"{"bakong_account_id":"x@y","merchant_name":"N","colour":"red"}"#,
        r#"{"bakong_account_id":"x@y","merchant_name":"N","currency":"EUR"}"#,
    ]
    .join("\n");
    let out = run(&["qr", "encode"], &input);
    assert_eq!(out.len(), 6);
    assert_eq!(out[0]["payload"], V2);
    assert_eq!(out[0]["md5"], "95863987758c3bfb7fd45f729d45ea3e");
    assert!(out[1]["payload"].as_str().unwrap().contains("54041.50"));
    assert_eq!(out[2]["error"]["code"], "TRANSACTION_AMOUNT_INVALID");
    assert_eq!(out[2]["error"]["field"], "amount");
    assert_eq!(out[3]["error"]["code"], "INVALID_JSON");
    assert_eq!(out[4]["error"]["field"], "colour");
    assert_eq!(out[5]["error"]["code"], "UNSUPPORTED_CURRENCY");
}

#[test]
fn decode_returns_scheme_fields_and_tree() {
    let upi = "00020101021115311974011600520446ACLB1000231208129180014jonhsmith@nbcq5204599953031165802KH5910Jonh Smith6010Phnom Penh63044637";
    let out = run(&["qr", "decode"], &format!("{V2}\n{upi}\ngarbage\n"));
    assert_eq!(out[0]["scheme"], "khqr");
    assert_eq!(out[0]["crc_valid"], true);
    assert_eq!(
        out[0]["fields"]["merchant_name_alternate_language"],
        "ចន ស្មីន"
    );
    assert_eq!(out[0]["fields"]["point_of_initiation_method"], "11");
    assert_eq!(out[0]["fields"]["country_code"], "KH");
    assert_eq!(out[0]["tlv"][2]["id"], "29");
    assert_eq!(out[0]["tlv"][2]["children"][0]["value"], "jonhsmith@nbcq");
    assert_eq!(out[1]["upi"]["merchant_id"], "ACLB10002312081");
    assert!(out[2]["error"]["code"].is_string());
}

#[test]
fn verify_says_valid_or_why_not() {
    let broken = V2.replace("Siam Reap", "Siam Reeb");
    let out = run(&["qr", "verify"], &format!("{V2}\n{broken}\n\n"));
    assert_eq!(out.len(), 2, "blank lines are skipped");
    assert_eq!(out[0]["valid"], true);
    assert_eq!(out[1]["valid"], false);
    assert_eq!(out[1]["error"]["code"], "KHQR_INVALID");
}

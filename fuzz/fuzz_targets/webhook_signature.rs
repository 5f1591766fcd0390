//! Fuzzes the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
//! as the server checks them on every notification: any headers, body and clock are answered
//! without a panic; forged signatures never pass; the signature of the same id, time and body
//! always does, also among other space-separated signatures.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::signing::WebhookSecret;

fuzz_target!(|input: (Option<&str>, Option<&str>, Option<&str>, &[u8], i64)| {
    let (id, ts, sig, body, now) = input;
    let Some(secret) = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") else {
        return;
    };
    if secret.verify(id, ts, sig, body, now).is_ok() {
        // Only a real signature passes: the fuzzer cannot forge an HMAC.
        let (id, ts) = (id.unwrap_or_default(), ts.unwrap_or_default());
        let ts: i64 = ts.parse().expect("a verified timestamp parses");
        let real = secret.sign(id, ts, body);
        assert!(sig.unwrap_or_default().split(' ').any(|s| s == real));
    }
    if let (Some(id), Some(ts)) = (id, ts.and_then(|t| t.parse::<i64>().ok()))
        && !id.is_empty()
        && id.len() <= 200
        && now.abs_diff(ts) <= protocol::signing::TOLERANCE_SECS.unsigned_abs()
    {
        let real = secret.sign(id, ts, body);
        let ts = ts.to_string();
        let both = format!("{} {real}", sig.unwrap_or("v1,AAAA"));
        assert_eq!(secret.verify(Some(id), Some(&ts), Some(&real), body, now), Ok(()));
        assert_eq!(secret.verify(Some(id), Some(&ts), Some(&both), body, now), Ok(()));
    }
});

//! Standard Webhooks signatures: `webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, 5-minute tolerance.
//! Payment networks sign their notifications to tonle this way, and tonle signs its webhooks.
//! Here (feature `signing`) so that the server, the CLI and the fuzz targets share one parser.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How far a timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 300;

/// A shared secret, written `whsec_<base64>`. Never printed.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Why a notification's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// a header is missing or malformed
    #[error("header {0} is missing or malformed")]
    Header(&'static str),
    /// the timestamp is outside the tolerance
    #[error("webhook-timestamp is more than 5 minutes from now")]
    Stale,
    /// no signature matches
    #[error("webhook-signature does not match")]
    Mismatch,
}

impl WebhookSecret {
    /// Parses `whsec_<base64>` (or bare base64).
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.trim();
        let b = b.strip_prefix("whsec_").unwrap_or(b);
        B64.decode(b).ok().filter(|k| k.len() >= 16).map(Self)
    }

    /// A fresh random secret.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut k = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        Self(k)
    }

    /// `whsec_<base64>`
    pub fn to_text(&self) -> String {
        format!("whsec_{}", B64.encode(&self.0))
    }

    fn mac(&self, id: &str, ts: i64, body: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length; new_from_slice cannot fail for HMAC.
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.0) else {
            unreachable!("HMAC takes any key length")
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(ts.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `webhook-signature` header value for a message.
    pub fn sign(&self, id: &str, ts_secs: i64, body: &[u8]) -> String {
        format!(
            "v1,{}",
            B64.encode(self.mac(id, ts_secs, body).finalize().into_bytes())
        )
    }

    /// Verifies headers against the body in constant time; `now_secs` is the clock.
    pub fn verify(
        &self,
        id: Option<&str>,
        ts: Option<&str>,
        sig: Option<&str>,
        body: &[u8],
        now_secs: i64,
    ) -> Result<(), SignatureError> {
        let id = id
            .filter(|s| !s.is_empty() && s.len() <= 200)
            .ok_or(SignatureError::Header("webhook-id"))?;
        let ts: i64 = ts
            .and_then(|t| t.parse().ok())
            .ok_or(SignatureError::Header("webhook-timestamp"))?;
        let sig = sig.ok_or(SignatureError::Header("webhook-signature"))?;
        // abs_diff: any two i64 timestamps, however far apart, without overflow.
        if now_secs.abs_diff(ts) > TOLERANCE_SECS.unsigned_abs() {
            return Err(SignatureError::Stale);
        }
        // Several space-separated signatures may be sent during secret rotation.
        for candidate in sig.split(' ') {
            let Some(b64) = candidate.strip_prefix("v1,") else {
                continue;
            };
            let Ok(bytes) = B64.decode(b64) else { continue };
            if self.mac(id, ts, body).verify_slice(&bytes).is_ok() {
                return Ok(());
            }
        }
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn signs_and_verifies_and_refuses_tampering() {
        let s = WebhookSecret::generate();
        let sig = s.sign("msg_1", 1000, b"{}");
        assert!(
            s.verify(Some("msg_1"), Some("1000"), Some(&sig), b"{}", 1010)
                .is_ok()
        );
        assert_eq!(
            s.verify(Some("msg_1"), Some("1000"), Some(&sig), b"{ }", 1010),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            s.verify(Some("msg_2"), Some("1000"), Some(&sig), b"{}", 1010),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            s.verify(Some("msg_1"), Some("1000"), Some(&sig), b"{}", 1400),
            Err(SignatureError::Stale)
        );
        let other = WebhookSecret::generate().sign("msg_1", 1000, b"{}");
        assert_eq!(
            s.verify(Some("msg_1"), Some("1000"), Some(&other), b"{}", 1000),
            Err(SignatureError::Mismatch)
        );
        assert!(
            s.verify(
                Some("msg_1"),
                Some("1000"),
                Some(&format!("v1,AAAA {sig}")),
                b"{}",
                1000
            )
            .is_ok()
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        let s = WebhookSecret::generate();
        for ts in [i64::MIN, i64::MAX, i64::MIN + 1, -1] {
            let ts = ts.to_string();
            assert_eq!(
                s.verify(Some("m"), Some(&ts), Some("v1,AAAA"), b"{}", 1_700_000_000),
                Err(SignatureError::Stale),
                "{ts}"
            );
        }
        assert_eq!(
            s.verify(Some("m"), Some("1"), Some("v1,AAAA"), b"{}", i64::MIN),
            Err(SignatureError::Stale)
        );
    }

    proptest! {
        /// Whatever the headers say, verifying answers (never panics), and only a signature made
        /// with the secret for that id, timestamp and body passes.
        #[test]
        fn any_headers_are_answered_without_panic(
            id in proptest::option::of(".{0,300}"),
            ts in proptest::option::of(proptest::prop_oneof![
                proptest::num::i64::ANY.prop_map(|n| n.to_string()),
                ".{0,40}",
            ]),
            sig in proptest::option::of(".{0,400}"),
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            now in proptest::num::i64::ANY,
        ) {
            let s = WebhookSecret::generate();
            let verdict = s.verify(id.as_deref(), ts.as_deref(), sig.as_deref(), &body, now);
            prop_assert!(verdict.is_err(), "a random signature never verifies");
        }

        #[test]
        fn a_right_signature_verifies_at_any_time_within_tolerance(
            ts in -4_000_000_000i64..4_000_000_000,
            skew in -TOLERANCE_SECS..=TOLERANCE_SECS,
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        ) {
            let s = WebhookSecret::generate();
            let sig = s.sign("msg_p", ts, &body);
            let ts_text = ts.to_string();
            prop_assert_eq!(
                s.verify(Some("msg_p"), Some(&ts_text), Some(&sig), &body, ts + skew),
                Ok(())
            );
        }
    }

    #[test]
    fn secret_text_round_trips() {
        let s = WebhookSecret::generate();
        let t = s.to_text();
        assert!(t.starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse(&t).unwrap().0, s.0);
        assert!(WebhookSecret::parse("whsec_short").is_none());
    }
}

//! Secrets at rest (a merchant's Bakong Open API token; webhook signing secrets next): sealed with
//! XChaCha20-Poly1305 under one server key, bound to their owner (the merchant id is the
//! associated data, so a sealed value copied to another row does not open).
//!
//! The key comes from `TONLE_SECRET_KEY` (base64 of 32 bytes) or from `secret.key` in the data
//! dir, made on first start with mode 0600. Losing it loses the sealed secrets, nothing else:
//! merchants paste their tokens again.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305, XNonce};

/// Name of the key file inside the data dir.
pub const KEY_FILE: &str = "secret.key";
const VERSION: &str = "v1:";

/// The server's sealing key. Never printed.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<redacted>)")
    }
}

impl SecretBox {
    /// A box from 32 key bytes.
    pub fn from_key(key: &[u8]) -> anyhow::Result<Self> {
        let cipher = XChaCha20Poly1305::new_from_slice(key)
            .map_err(|_| anyhow::anyhow!("the secret key must be 32 bytes"))?;
        Ok(Self { cipher })
    }

    /// The key from `TONLE_SECRET_KEY` (`env`), else from the data dir's key file (made now
    /// when missing).
    pub fn load(env: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(text) = env.map(str::trim).filter(|t| !t.is_empty()) {
            let key = B64
                .decode(text)
                .context("TONLE_SECRET_KEY must be base64 of 32 bytes")?;
            return Self::from_key(&key);
        }
        let path = data_dir.join(KEY_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let key = B64
                .decode(text.trim())
                .with_context(|| format!("{} is not base64", path.display()))?;
            return Self::from_key(&key);
        }
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        std::fs::write(&path, B64.encode(key))
            .with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Self::from_key(&key)
    }

    /// Seals `plain` for `owner`: `v1:` + base64(nonce ‖ ciphertext).
    pub fn seal(&self, owner: &str, plain: &str) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{VERSION}{}", B64.encode(out)))
    }

    /// Opens what `seal` made for `owner`; fails for another owner, another key or a change.
    pub fn open(&self, owner: &str, sealed: &str) -> anyhow::Result<String> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b| B64.decode(b).ok())
            .filter(|b| b.len() > 24)
            .ok_or_else(|| anyhow::anyhow!("not a sealed secret"))?;
        let (nonce, body) = bytes.split_at(24);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("the secret does not open with this server's key"))?;
        String::from_utf8(plain).context("sealed secret is not text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_for_their_owner_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let a = SecretBox::load(None, dir.path()).unwrap();
        let sealed = a.seal("merchant-1", "eyJhbGciOi.token").unwrap();
        assert!(!sealed.contains("token"));
        assert_eq!(a.open("merchant-1", &sealed).unwrap(), "eyJhbGciOi.token");
        assert!(a.open("merchant-2", &sealed).is_err(), "bound to its owner");
        let again = SecretBox::load(None, dir.path()).unwrap();
        assert_eq!(
            again.open("merchant-1", &sealed).unwrap(),
            "eyJhbGciOi.token",
            "the key file is reused"
        );
        let other = SecretBox::from_key(&[7u8; 32]).unwrap();
        assert!(other.open("merchant-1", &sealed).is_err(), "another key");
        let mut tampered = sealed.clone();
        tampered.pop();
        assert!(a.open("merchant-1", &tampered).is_err());
        assert_ne!(
            a.seal("m", "x").unwrap(),
            a.seal("m", "x").unwrap(),
            "fresh nonces"
        );
    }
}

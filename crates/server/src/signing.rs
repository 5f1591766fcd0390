//! The sandbox network's secret, kept in the data dir. The signatures themselves
//! (`WebhookSecret`, Standard Webhooks) are in `protocol::signing`.

use std::path::Path;

pub use protocol::signing::{SignatureError, TOLERANCE_SECS, WebhookSecret};

/// Name of the sandbox secret file inside the data dir.
pub const SANDBOX_SECRET_FILE: &str = "sandbox.secret";

/// Reads the sandbox secret from the data dir, creating it (mode 0600) on first use.
pub fn load_or_create_sandbox_secret(data_dir: &Path) -> anyhow::Result<WebhookSecret> {
    use anyhow::Context;
    let path = data_dir.join(SANDBOX_SECRET_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return WebhookSecret::parse(&text)
            .with_context(|| format!("{} is not a whsec_ secret", path.display()));
    }
    let secret = WebhookSecret::generate();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    std::fs::write(&path, secret.to_text())
        .with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(secret)
}

/// Reads an existing sandbox secret (the CLI side).
pub fn read_sandbox_secret(data_dir: &Path) -> anyhow::Result<WebhookSecret> {
    use anyhow::Context;
    let path = data_dir.join(SANDBOX_SECRET_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (is `tonle serve --sandbox` using this data dir?)",
            path.display()
        )
    })?;
    WebhookSecret::parse(&text)
        .with_context(|| format!("{} is not a whsec_ secret", path.display()))
}

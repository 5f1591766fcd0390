//! The Content-Security-Policy of the app's pages: scripts only from this origin and the inline
//! scripts the page was built with (each allowed by its SHA-256, so an injected one is not),
//! WebAssembly compiled, connections only back here (the API and the event websocket), no
//! plugins, no `<base>`, forms only here, and framed only by this origin and the ones
//! `--frame-ancestors` names.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The `'sha256-…'` source of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

/// The policy for a page whose inline scripts hash to `hashes`, served under `host` (the
/// request's `Host`, used only when it is a plain host name or address), framed by
/// `frame_ancestors` besides this origin.
pub fn policy(hashes: &[String], host: Option<&str>, frame_ancestors: &[String]) -> String {
    let sockets = host
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for h in hashes {
        script.push(' ');
        script.push_str(h);
    }
    let mut frames = String::from("'self'");
    for origin in frame_ancestors {
        frames.push(' ');
        frames.push_str(origin);
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'{sockets}; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frames}"
    )
}

/// Whether `origin` may be given to `--frame-ancestors`: `https://host[:port]` (or `http://` for
/// a LAN install), nothing else (no paths, no wildcards, no keywords).
pub fn valid_ancestor(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<head><script src="/app.js"></script><script>alert(1)</script>
            <script type="module">import init from '/x.js';</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn the_policy_allows_only_this_origin_and_named_frames() {
        let p = policy(&["'sha256-x'".into()], Some("pay.shop.kh"), &[]);
        assert!(
            p.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-x';"),
            "{p}"
        );
        assert!(
            p.contains("connect-src 'self' ws://pay.shop.kh wss://pay.shop.kh;"),
            "{p}"
        );
        assert!(p.ends_with("frame-ancestors 'self'"), "{p}");
        let hostile = policy(
            &[],
            Some("x; script-src *"),
            &["https://pos.example".into()],
        );
        assert!(!hostile.contains("script-src *"), "{hostile}");
        assert!(hostile.ends_with("frame-ancestors 'self' https://pos.example"));
        assert!(valid_ancestor("https://pos.example:8443"));
        for bad in [
            "*",
            "'none'",
            "https://a/b",
            "javascript:x",
            "https://a b",
            "https://",
        ] {
            assert!(!valid_ancestor(bad), "{bad}");
        }
    }
}

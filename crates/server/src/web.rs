//! The web app's files: carried inside the binary (rust-embed of `dist/` as
//! `scripts/build-web.sh` left it, compressed there with brotli and gzip), or read from a folder
//! with `--static-dir` (development). Either way each file is answered the same: the variant the
//! client's `Accept-Encoding` takes, a strong `ETag` with `304` on `If-None-Match`, immutable
//! caching for names that carry their content hash and `no-cache` for the rest (pages, the
//! service worker, the manifest). A client-side route is the page of the bundle that owns it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use protocol::web::Bundle;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

pub mod csp;

/// `dist/` at build time. A release build carries it; a debug build reads it from the checkout.
#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../dist"]
#[allow_missing = true]
struct Dist;

/// Where the files come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// inside the binary
    Embedded,
    /// a folder (`--static-dir`)
    Dir(PathBuf),
}

/// One file as stored: its bytes and a hash of them.
struct Stored {
    bytes: Cow<'static, [u8]>,
    hash: [u8; 32],
}

impl Source {
    /// Whether this source has the app (an `index.html`).
    pub fn has_app(&self) -> bool {
        self.has("index.html")
    }

    /// Whether `path` is here, without reading it.
    fn has(&self, path: &str) -> bool {
        match self {
            Self::Embedded => Dist::get(path).is_some(),
            Self::Dir(dir) => safe_join(dir, path).is_some(),
        }
    }

    fn get(&self, path: &str) -> Option<Stored> {
        match self {
            Self::Embedded => Dist::get(path).map(|f| Stored {
                hash: f.metadata.sha256_hash(),
                bytes: f.data,
            }),
            Self::Dir(dir) => {
                let file = safe_join(dir, path)?;
                let bytes = std::fs::read(file).ok()?;
                let hash = Sha256::digest(&bytes).into();
                Some(Stored {
                    bytes: Cow::Owned(bytes),
                    hash,
                })
            }
        }
    }
}

/// `dir/path` when `path` is plain relative components (no `..`, no root, no drive).
fn safe_join(dir: &Path, path: &str) -> Option<PathBuf> {
    let mut out = dir.to_path_buf();
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        out.push(part);
    }
    out.is_file().then_some(out)
}

/// Content codings tonle stores beside a file, best first.
const CODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Whether `accept` (an `Accept-Encoding` value) takes `coding` (q > 0, or `*`).
fn accepts(accept: &str, coding: &str) -> bool {
    let mut star = false;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| {
                let p = p.trim();
                p.get(..2)
                    .filter(|k| k.eq_ignore_ascii_case("q="))
                    .map(|_| &p[2..])
            })
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next_back()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            return q > 0.0;
        }
        if name == "*" {
            star = q > 0.0;
        }
    }
    star
}

/// Whether a file name carries its content hash (trunk's `name-0123456789abcdef.ext`).
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The web app, answering every path the API does not.
#[derive(Clone)]
pub struct WebApp {
    source: Arc<Source>,
    frame_ancestors: Arc<Vec<String>>,
}

impl WebApp {
    /// Serves `source`; its pages may be framed by this origin and `frame_ancestors`.
    pub fn new(source: Source, frame_ancestors: Vec<String>) -> Self {
        Self {
            source: Arc::new(source),
            frame_ancestors: Arc::new(frame_ancestors),
        }
    }

    /// Answers `GET`/`HEAD` of `uri`: a file, or the page of the bundle owning a client route.
    pub fn answer(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return crate::error::ApiError::MethodNotAllowed.into_response();
        }
        let path = uri.path().trim_start_matches('/');
        let (path, page) = if path.is_empty() {
            ("index.html".to_owned(), true)
        } else if self.source.has(path) {
            (path.to_owned(), path.ends_with(".html"))
        } else if path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
        {
            // A file name that is not here (an old hash, a typo): 404, not a page.
            return StatusCode::NOT_FOUND.into_response();
        } else {
            let bundle = Bundle::for_path(uri.path());
            let html = bundle.html();
            let html = if self.source.has(&html) {
                html
            } else {
                "index.html".to_owned()
            };
            (html, true)
        };
        self.file(&path, page, method == Method::HEAD, headers)
    }

    fn file(&self, path: &str, page: bool, head: bool, headers: &HeaderMap) -> Response {
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let variant = CODINGS.iter().find_map(|(coding, ext)| {
            if !accepts(accept, coding) {
                return None;
            }
            let stored = self.source.get(&format!("{path}{ext}"))?;
            Some((Some(*coding), stored))
        });
        let Some((coding, stored)) = variant.or_else(|| self.source.get(path).map(|s| (None, s)))
        else {
            return StatusCode::NOT_FOUND.into_response();
        };
        // A strong validator per variant: the encoded bytes differ, so their tags do too.
        let tag = format!(
            "\"{}{}\"",
            hex16(&stored.hash),
            coding.map_or(String::new(), |c| format!("-{c}"))
        );
        let cache = if !page && is_hashed(path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        let mut res = Response::builder()
            .header(header::ETAG, &tag)
            .header(header::CACHE_CONTROL, cache)
            .header(header::VARY, "accept-encoding");
        let matches = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == tag
            });
        if matches {
            return res
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap_or_else(|_| StatusCode::NOT_MODIFIED.into_response());
        }
        res = res
            .header(header::CONTENT_TYPE, mime.as_ref())
            .header(header::CONTENT_LENGTH, stored.bytes.len());
        if let Some(coding) = coding {
            res = res.header(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        if page {
            // Hashed from the page as built (never a compressed variant's bytes).
            let plain = self.source.get(path).map(|s| s.bytes).unwrap_or_default();
            let hashes = csp::inline_script_hashes(&String::from_utf8_lossy(&plain));
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let policy = csp::policy(&hashes, host, &self.frame_ancestors);
            if let Ok(v) = HeaderValue::from_str(&policy) {
                res = res.header(header::CONTENT_SECURITY_POLICY, v);
            }
        }
        let body = if head {
            Body::empty()
        } else {
            match stored.bytes {
                Cow::Borrowed(b) => Body::from(b),
                Cow::Owned(b) => Body::from(b),
            }
        };
        res.body(body)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

fn hex16(hash: &[u8; 32]) -> String {
    hash[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("br, gzip", "br"));
        assert!(accepts("gzip, deflate, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip, br;Q=0", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("*, gzip;q=0", "gzip"));
        assert!(!accepts("identity", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed("tonle-merchant-4f3a9b2c1d0e8f7a_bg.wasm"));
        assert!(is_hashed("tonle-merchant-4f3a9b2c1d0e8f7a.js"));
        assert!(is_hashed("style-00112233aabbccdd.css"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("public/manifest.webmanifest"));
        assert!(!is_hashed("public/fonts/NotoSansKhmer-Regular.woff2"));
        assert!(!is_hashed("index.html"));
    }

    #[test]
    fn only_plain_relative_paths_are_read_from_a_folder() {
        let dir = std::env::temp_dir();
        assert!(safe_join(&dir, "../etc/passwd").is_none());
        assert!(safe_join(&dir, "a//b").is_none());
        assert!(safe_join(&dir, "a\\..\\b").is_none());
    }
}

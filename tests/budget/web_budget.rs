//! The web app's budgets, measured: transfer size of each page of the release build (the wasm,
//! js and css a page loads, brotli, fonts excluded; budget 200 KB per page) and first render of
//! the charge screen after navigation on loopback (budget 300 ms), read from the page's own
//! `tonle:charge-ready` performance mark.
//!
//! The app is split into bundles (see `protocol::web`), so each page of `dist/` is measured by
//! the files it references; the sum over all bundles is printed too.
//!
//! Run by `scripts/measure-web.sh` (builds dist/ and the server first). Prints one JSON line per
//! figure and exits non-zero when a budget is exceeded.

// reason: a bench harness: a failed setup step should stop the run loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../e2e/support/mod.rs"]
#[allow(dead_code)] // reason: shared with the e2e tests, which use the rest of it
mod support;

use std::io::Write;
use std::path::Path;

use support::browser::Browser;
use support::server::{Server, dist_dir};

/// 200 KB, counted in thousands.
const SIZE_BUDGET: usize = 200_000;
const RENDER_BUDGET_MS: f64 = 300.0;
const RUNS: usize = 20;

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("compress");
    }
    out.len()
}

/// The wasm, js and css files a page of dist/ loads: every quoted `/name.ext` in it.
fn referenced(html: &str) -> Vec<String> {
    let mut files: Vec<String> = html
        .split(['"', '\''])
        .filter(|s| {
            s.starts_with('/')
                && s[1..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && [".wasm", ".js", ".css"].iter().any(|e| s.ends_with(e))
        })
        .map(|s| s[1..].to_owned())
        .collect();
    files.sort();
    files.dedup();
    files
}

/// (page, [(file, brotli bytes)]) for every page of dist/.
fn pages(dir: &Path) -> Vec<(String, Vec<(String, usize)>)> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dist").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") || name == "offline.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read page");
        let files = referenced(&html)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(dir.join(&f)).expect("read a file the page loads");
                let br = brotli_len(&bytes);
                (f, br)
            })
            .collect();
        pages.push((name, files));
    }
    pages.sort();
    pages
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let pages = pages(&dist_dir());
    assert!(
        pages.iter().any(|(p, _)| p == "index.html"),
        "dist/ has no index.html"
    );
    let mut largest = 0;
    let mut all = std::collections::BTreeMap::new();
    for (page, files) in &pages {
        let br: usize = files.iter().map(|f| f.1).sum();
        assert!(
            files.iter().any(|(f, _)| f.ends_with(".wasm")),
            "{page} loads no wasm"
        );
        for (f, b) in files {
            eprintln!("{page}: {f} {b} brotli");
            all.insert(f.clone(), *b);
        }
        println!(
            "{{\"bench\":\"web_transfer\",\"page\":\"{page}\",\"brotli_bytes\":{br},\"budget_bytes\":{SIZE_BUDGET}}}"
        );
        largest = largest.max(br);
    }
    let total: usize = all.values().sum();
    println!(
        "{{\"bench\":\"web_transfer_all_bundles\",\"pages\":{},\"brotli_bytes\":{total}}}",
        pages.len()
    );

    let server = Server::start();
    let b = Browser::start().await;
    b.goto(&format!("{}/register", server.url)).await.unwrap();
    b.fill("register-email", "budget@tonle.test").await.unwrap();
    b.fill("register-password", "a long enough password")
        .await
        .unwrap();
    b.fill("register-business-name", "Budget Shop")
        .await
        .unwrap();
    b.fill("register-city", "Phnom Penh").await.unwrap();
    b.fill("register-bakong", "budget@aclb").await.unwrap();
    b.click("register-submit").await.unwrap();
    b.click("welcome-done").await.unwrap();
    b.find("charge-form").await.unwrap();

    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        b.goto(&format!("{}/charge", server.url)).await.unwrap();
        b.find("charge-form").await.unwrap();
        let t = b
            .client
            .execute(
                "const m = performance.getEntriesByName('tonle:charge-ready'); return m.length ? m[0].startTime : -1;",
                vec![],
            )
            .await
            .unwrap();
        let ms = t.as_f64().unwrap_or(-1.0);
        assert!(
            ms >= 0.0,
            "the charge screen set no tonle:charge-ready mark"
        );
        times.push(ms);
    }
    b.close().await;
    // Stopped here: `exit` below would skip its drop and leave it running.
    drop(server);
    times.sort_by(f64::total_cmp);
    let p50 = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "{{\"bench\":\"charge_first_render\",\"runs\":{RUNS},\"p50_ms\":{p50:.1},\"max_ms\":{max:.1},\"budget_ms\":{RENDER_BUDGET_MS}}}"
    );
    let mut over = Vec::new();
    if largest > SIZE_BUDGET {
        over.push(format!("a page transfers {largest} B > {SIZE_BUDGET} B"));
    }
    if p50 > RENDER_BUDGET_MS {
        over.push(format!(
            "first render p50 {p50:.1} ms > {RENDER_BUDGET_MS} ms"
        ));
    }
    if !over.is_empty() {
        eprintln!("over budget: {}", over.join("; "));
        std::process::exit(1);
    }
}

//! The web app's budgets, measured: transfer size of the release build (wasm + js + css,
//! brotli, fonts excluded; budget 200 KB) and first render of the charge screen after navigation
//! on loopback (budget 300 ms), read from the page's own `tonle:charge-ready` performance mark.
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

const SIZE_BUDGET: usize = 200 * 1024;
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

/// (file, raw bytes, brotli bytes) of every wasm, js and css file under dist/.
fn transfer(dir: &Path) -> Vec<(String, usize, usize)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dist").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(transfer(&path));
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "wasm" | "js" | "css") {
            let bytes = std::fs::read(&path).expect("read file");
            files.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                bytes.len(),
                brotli_len(&bytes),
            ));
        }
    }
    files
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let files = transfer(&dist_dir());
    let raw: usize = files.iter().map(|f| f.1).sum();
    let br: usize = files.iter().map(|f| f.2).sum();
    for (name, raw, br) in &files {
        eprintln!("{name}: {raw} bytes, {br} brotli");
    }
    println!(
        "{{\"bench\":\"web_transfer\",\"raw_bytes\":{raw},\"brotli_bytes\":{br},\"budget_bytes\":{SIZE_BUDGET}}}"
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
    if br > SIZE_BUDGET {
        over.push(format!("transfer {br} B > {SIZE_BUDGET} B"));
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

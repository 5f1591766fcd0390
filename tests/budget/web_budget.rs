//! The web app's budgets, measured: transfer size of each page of the release build (the wasm,
//! js and css a page loads, brotli, fonts excluded; budget 200 KB per page), and first render of
//! the charge screen and of the kiosk after navigation on loopback, cold (a new browser profile:
//! nothing cached) and warm (again, with the service worker installed), read from the screens'
//! own `tonle:charge-ready` / `tonle:kiosk-ready` performance marks (budget 300 ms, warm charge
//! screen).
//!
//! The app is two bundles (see `protocol::web`): the merchant app, split by screen into a main
//! module and chunks, and the kiosk. A first visit is measured by the files the page references
//! and, for the merchant app, the chunks of the screen's split (`dist/chunks.json`; budget
//! 200 KB each), and every file of both together, every chunk included (budget 450 KB). Moves between Charge, Dashboard, History and Settings by their tabs,
//! in one page at 390 px, are timed from the click to the screen's ready mark (budget p95 100 ms
//! over 20 moves).
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
/// Every file of the app, both bundles, brotli.
const ALL_BUDGET: usize = 450_000;
/// A move between two screens of the app, p95.
const MOVE_BUDGET_MS: f64 = 100.0;
const MOVES: usize = 20;
/// Cold loads (a new browser profile each: no cache, no service worker) and warm ones (the same
/// browser again, its service worker installed) per screen.
const COLD_RUNS: usize = 5;
const WARM_RUNS: usize = 10;

/// Signs up a merchant and pairs a display over the API; their session and device tokens.
async fn sign_up_and_pair(base: &str) -> (String, String) {
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{base}/api/v1/merchants"))
        .json(&serde_json::json!({"email": "budget@tonle.test", "password": "a long enough password",
            "business_name": "Budget Shop", "merchant_city": "Phnom Penh", "bakong_account_id": "budget@aclb"}))
        .send()
        .await
        .unwrap();
    let session = res.headers()["set-cookie"].to_str().unwrap();
    let session = session
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("tonle_session=")
        .to_owned();
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{base}{path}"))
            .header("cookie", format!("tonle_session={session}"))
            .json(&body)
            .send()
    };
    let store: serde_json::Value = post("/api/v1/stores", serde_json::json!({"name": "Main"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let till: serde_json::Value = post(
        "/api/v1/terminals",
        serde_json::json!({"store_id": store["id"], "label": "Till 1"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let code: serde_json::Value = post(
        &format!("/api/v1/terminals/{}/pairing", till["id"].as_str().unwrap()),
        serde_json::json!({}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let paired: serde_json::Value = http
        .post(format!("{base}/api/v1/devices/pair"))
        .json(&serde_json::json!({"code": code["code"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (session, paired["token"].as_str().unwrap().to_owned())
}

/// The `mark` of one load of `path`, ms after navigation start.
async fn render_once(b: &Browser, url: &str, mark: &str) -> f64 {
    b.goto(url).await.unwrap();
    let script = format!(
        "const done = arguments[0]; const t0 = Date.now(); (function poll() {{ \
           const m = performance.getEntriesByName('{mark}'); \
           if (m.length) done(m[0].startTime); else if (Date.now() - t0 > 10000) done(-1); else setTimeout(poll, 5); }})();"
    );
    let t = b.client.execute_async(&script, vec![]).await.unwrap();
    let ms = t.as_f64().unwrap_or(-1.0);
    assert!(ms >= 0.0, "{url} set no {mark} mark");
    ms
}

/// Cold and warm first renders of `path`, sorted.
async fn first_renders(
    base: &str,
    path: &str,
    mark: &str,
    cookie: (&str, &str),
) -> (Vec<f64>, Vec<f64>) {
    let url = format!("{base}{path}");
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for run in 0..COLD_RUNS {
        let b = signed_in_browser(base, cookie).await;
        cold.push(render_once(&b, &url, mark).await);
        if run == 0 {
            b.client
                .execute_async("const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true), () => done(false));", vec![])
                .await
                .unwrap();
            for _ in 0..WARM_RUNS {
                warm.push(render_once(&b, &url, mark).await);
            }
        }
        b.close().await;
    }
    cold.sort_by(f64::total_cmp);
    warm.sort_by(f64::total_cmp);
    (cold, warm)
}

/// Moves by the top bar's tabs (dashboard, history, settings, charge, round again) on a 390 px
/// phone: from the click to the next screen's ready mark, sorted.
async fn moves(base: &str, cookie: (&str, &str)) -> Vec<f64> {
    let b = signed_in_browser(base, cookie).await;
    b.client.set_window_size(390, 844).await.unwrap();
    render_once(&b, &format!("{base}/charge"), "tonle:charge-ready").await;
    let tabs = [
        ("nav-dashboard", "tonle:dashboard-ready"),
        ("nav-history", "tonle:history-ready"),
        ("nav-settings", "tonle:settings-ready"),
        ("nav-charge", "tonle:charge-ready"),
    ];
    let mut times = Vec::new();
    for i in 0..MOVES {
        let (tab, mark) = tabs[i % tabs.len()];
        let script = format!(
            "const done = arguments[0]; performance.clearMarks('{mark}'); const t0 = performance.now(); \
             document.querySelector('[data-testid={tab}]').click(); (function poll() {{ \
               const m = performance.getEntriesByName('{mark}'); \
               if (m.length) done(m[0].startTime - t0); \
               else if (performance.now() - t0 > 10000) done(-1); else setTimeout(poll, 2); }})();"
        );
        let t = b.client.execute_async(&script, vec![]).await.unwrap();
        let ms = t.as_f64().unwrap_or(-1.0);
        assert!(ms >= 0.0, "moving by {tab} set no {mark} mark");
        times.push(ms);
    }
    b.close().await;
    times.sort_by(f64::total_cmp);
    times
}

/// A new browser holding `cookie` for `base`: it visits the origin without loading the app, to
/// be handed its credential.
async fn signed_in_browser(base: &str, cookie: (&str, &str)) -> Browser {
    let b = Browser::start().await;
    b.goto(&format!("{base}/healthz")).await.unwrap();
    b.client
        .execute(
            &format!("document.cookie = '{}={}; path=/';", cookie.0, cookie.1),
            vec![],
        )
        .await
        .unwrap();
    b
}

/// Bytes a first visit of the charge screen transfers (page and every resource, headers
/// included, as Chromium's resource timing counts them), in a new profile.
async fn first_visit_bytes(base: &str, cookie: (&str, &str)) -> u64 {
    let b = signed_in_browser(base, cookie).await;
    render_once(&b, &format!("{base}/charge"), "tonle:charge-ready").await;
    // Fonts and late requests settle.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let total = b
        .client
        .execute(
            "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')) \
               .filter(e => !e.name.includes('/api/')) \
               .reduce((n, e) => n + e.transferSize, 0);",
            vec![],
        )
        .await
        .unwrap();
    b.close().await;
    total.as_u64().unwrap_or(0)
}

/// `from` copied to `to` without the compressed copies (`.br`, `.gz`).
fn copy_plain(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_plain(&path, &dest);
        } else if !path.to_string_lossy().ends_with(".br")
            && !path.to_string_lossy().ends_with(".gz")
        {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

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

/// Each split of the merchant app and the chunks its first screen fetches (`dist/chunks.json`,
/// written by the build): `{"counter": ["split_counter-….wasm", …], …}`.
fn splits(dir: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join("chunks.json")).expect("dist/chunks.json");
    let map: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(&text).expect("chunks.json is a map of lists");
    assert!(!map.is_empty(), "the merchant app has no chunks");
    map.into_iter().collect()
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
    let dist = dist_dir();
    let splits = splits(&dist);
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
        // The merchant app's first screen also fetches its split's chunks: a first visit to a
        // screen of `split` is the page's own files and those.
        let of_page: Vec<_> = if page == "index.html" {
            splits.iter().collect()
        } else {
            Vec::new()
        };
        // The screens in the main module (the charge screen) fetch nothing more.
        if of_page.is_empty() || page == "index.html" {
            println!(
                "{{\"bench\":\"web_transfer\",\"page\":\"{page}\",\"brotli_bytes\":{br},\"budget_bytes\":{SIZE_BUDGET}}}"
            );
            largest = largest.max(br);
        }
        for (split, chunks) in of_page {
            let mut first = br;
            for c in chunks {
                let b = brotli_len(&std::fs::read(dist.join(c)).expect("read a chunk"));
                all.insert(c.clone(), b);
                first += b;
            }
            println!(
                "{{\"bench\":\"web_transfer\",\"page\":\"{page}\",\"split\":\"{split}\",\"chunks\":{},\"brotli_bytes\":{first},\"budget_bytes\":{SIZE_BUDGET}}}",
                chunks.len()
            );
            largest = largest.max(first);
        }
    }
    let total: usize = all.values().sum();
    println!(
        "{{\"bench\":\"web_transfer_all_bundles\",\"pages\":{},\"files\":{},\"brotli_bytes\":{total},\"budget_bytes\":{ALL_BUDGET}}}",
        pages.len(),
        all.len()
    );

    let server = Server::start();
    let (session, device) = sign_up_and_pair(&server.url).await;
    let mut figures = Vec::new();
    for (screen, path, mark, cookie) in [
        (
            "charge",
            "/charge",
            "tonle:charge-ready",
            ("tonle_session", session.as_str()),
        ),
        (
            "kiosk",
            "/kiosk",
            "tonle:kiosk-ready",
            ("tonle_device", device.as_str()),
        ),
    ] {
        let (cold, warm) = first_renders(&server.url, path, mark, cookie).await;
        for (load, times) in [("cold", &cold), ("warm", &warm)] {
            println!(
                "{{\"bench\":\"first_render\",\"screen\":\"{screen}\",\"load\":\"{load}\",\"runs\":{},\"p50_ms\":{:.1},\"max_ms\":{:.1},\"budget_ms\":{RENDER_BUDGET_MS}}}",
                times.len(),
                times[times.len() / 2],
                times[times.len() - 1]
            );
        }
        figures.push((screen, cold, warm));
    }
    let moved = moves(&server.url, ("tonle_session", session.as_str())).await;
    let move_p95 = moved[(moved.len() * 95).div_ceil(100) - 1];
    println!(
        "{{\"bench\":\"move\",\"screens\":\"charge,dashboard,history,settings\",\"width\":390,\"moves\":{},\"p50_ms\":{:.1},\"p95_ms\":{move_p95:.1},\"max_ms\":{:.1},\"budget_p95_ms\":{MOVE_BUDGET_MS}}}",
        moved.len(),
        moved[moved.len() / 2],
        moved[moved.len() - 1]
    );
    // First visit of the charge screen (a new profile, nothing cached): every byte on the wire
    // as the browser counts it, now (brotli or gzip by Accept-Encoding) and as before the server
    // compressed (the same files with no compressed copies beside them).
    let after = first_visit_bytes(&server.url, ("tonle_session", session.as_str())).await;
    // Stopped here: `exit` below would skip its drop and leave it running.
    drop(server);
    let plain = tempfile::tempdir().unwrap();
    copy_plain(&dist_dir(), plain.path());
    let dir = plain.path().to_string_lossy().into_owned();
    let before_server = Server::start_with(&["--static-dir", &dir]);
    let (before_session, _) = sign_up_and_pair(&before_server.url).await;
    let before = first_visit_bytes(
        &before_server.url,
        ("tonle_session", before_session.as_str()),
    )
    .await;
    drop(before_server);
    println!(
        "{{\"bench\":\"first_visit_bytes\",\"screen\":\"charge\",\"uncompressed_bytes\":{before},\"compressed_bytes\":{after}}}"
    );
    let p50 = figures[0].2[figures[0].2.len() / 2];
    let mut over = Vec::new();
    if largest > SIZE_BUDGET {
        over.push(format!("a page transfers {largest} B > {SIZE_BUDGET} B"));
    }
    if total > ALL_BUDGET {
        over.push(format!("the whole app is {total} B > {ALL_BUDGET} B"));
    }
    if move_p95 > MOVE_BUDGET_MS {
        over.push(format!("a move p95 {move_p95:.1} ms > {MOVE_BUDGET_MS} ms"));
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

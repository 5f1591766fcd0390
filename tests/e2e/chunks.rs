//! The merchant app is split by screen. A screen whose chunk is gone while the server answers (a
//! newer build replaced it) loads the page again, once; if the chunk is still missing it says so
//! with Retry, and Retry draws it on the same page once the chunk is there again.

use std::path::{Path, PathBuf};

use crate::support::server::{Server, dist_dir};

/// `from` copied to `to`, every file.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dist").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// The office chunk's files (the wasm and its compressed copies) in `dir`.
fn office_chunk(dir: &Path) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read copy")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("split_office-"))
        })
        .collect();
    assert!(!files.is_empty(), "dist/ has no office chunk");
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_whose_chunk_is_gone_loads_the_page_once_then_offers_retry() {
    let copy = tempfile::tempdir().expect("tempdir");
    copy_dir(&dist_dir(), copy.path());
    let aside = tempfile::tempdir().expect("tempdir");
    let moved: Vec<(PathBuf, PathBuf)> = office_chunk(copy.path())
        .into_iter()
        .map(|p| {
            let to = aside.path().join(p.file_name().expect("a name"));
            std::fs::rename(&p, &to).expect("move the chunk aside");
            (p, to)
        })
        .collect();
    let dir = copy.path().to_string_lossy().into_owned();
    let server = Server::start_with(&["--static-dir", &dir]);
    crate::support::in_browser_on("chunk-missing", server, async |b, s| {
        crate::screens::sign_up(b, s, "chunks@shop.kh").await?;
        marker(b, "before").await?;
        // The dashboard's chunk is gone: the page loads again once (a newer build would be
        // there), then, still missing, the error and Retry in place of the screen.
        b.click("nav-dashboard").await?;
        b.find("load-error").await?;
        if marked(b).await?.is_some() {
            return Err("a missing chunk did not load the page again".into());
        }
        marker(b, "after").await?;
        for (at, from) in &moved {
            std::fs::rename(from, at).map_err(|e| format!("put the chunk back: {e}"))?;
        }
        b.click("retry").await?;
        b.find("today-totals").await?;
        if marked(b).await?.as_deref() != Some("after") {
            return Err("Retry loaded the page again".into());
        }
        Ok(())
    })
    .await;
}

async fn marker(b: &crate::support::browser::Browser, value: &str) -> Result<(), String> {
    b.client
        .execute(&format!("window.__tonleChunks = '{value}';"), vec![])
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

async fn marked(b: &crate::support::browser::Browser) -> Result<Option<String>, String> {
    let v = b
        .client
        .execute("return window.__tonleChunks || null;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    Ok(v.as_str().map(str::to_owned))
}

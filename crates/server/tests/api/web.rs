//! The built web app is served beside the API: its client-side routes are pages (200 with the
//! HTML of the bundle that owns them), its files are files, and an unknown API path stays a JSON 404.

use crate::helpers::{get_with, spawn_app_with};

#[tokio::test]
async fn app_routes_are_pages_and_unknown_api_paths_are_json_404s() {
    let site = tempfile::tempdir().unwrap();
    let dist = site.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>tonle</title>",
    )
    .unwrap();
    std::fs::write(dist.join("sw.js"), "// worker").unwrap();
    std::fs::write(
        dist.join("kiosk.html"),
        "<!doctype html><title>tonle kiosk</title>",
    )
    .unwrap();
    // A hashed file, stored plain and compressed as the build leaves it.
    let wasm = "tonle-merchant-0123456789abcdef_bg.wasm";
    std::fs::write(dist.join(wasm), vec![0u8; 4096]).unwrap();
    std::fs::write(dist.join(format!("{wasm}.br")), b"brotli bytes").unwrap();
    std::fs::write(dist.join(format!("{wasm}.gz")), b"gzip bytes").unwrap();
    let app = spawn_app_with(|s| s.static_dir = Some(dist)).await;
    let (addr, http) = (app.addr, app.http.clone());
    for (path, title) in [
        // One app for every merchant screen; the kiosk is its own page.
        ("/", "<title>tonle</title>"),
        ("/charge", "<title>tonle</title>"),
        ("/join/abc", "<title>tonle</title>"),
        ("/register", "<title>tonle</title>"),
        ("/no/such/page", "<title>tonle</title>"),
        ("/kiosk?code=12345678", "<title>tonle kiosk</title>"),
        ("/dashboard", "<title>tonle</title>"),
        ("/poster/t-1", "<title>tonle</title>"),
        ("/settings", "<title>tonle</title>"),
        ("/integrations", "<title>tonle</title>"),
        ("/receipt/p-1", "<title>tonle</title>"),
    ] {
        let res = get_with(&http, &format!("http://{addr}{path}"), &[]).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert!(res.text().await.unwrap().contains(title), "{path}");
    }
    let res = get_with(&http, &format!("http://{addr}/sw.js"), &[]).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    // The compressed variant the client takes, immutable, with a strong ETag and 304 on it.
    let url = format!("http://{addr}/{wasm}");
    let res = get_with(&http, &url, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.headers()["vary"], "accept-encoding");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let tag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with('"') && tag.ends_with("-br\""), "{tag}");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let res = get_with(
        &http,
        &url,
        &[("accept-encoding", "gzip, br"), ("if-none-match", &tag)],
    )
    .await;
    assert_eq!(res.status(), 304);
    let res = get_with(&http, &url, &[("accept-encoding", "gzip;q=1, br;q=0")]).await;
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_ne!(
        res.headers()["etag"].to_str().unwrap(),
        tag,
        "a tag per variant"
    );
    let res = get_with(&http, &url, &[("accept-encoding", "identity")]).await;
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.bytes().await.unwrap().len(), 4096);
    // A page revalidates; an old file name is a 404, not a page.
    let res = get_with(&http, &format!("http://{addr}/charge"), &[]).await;
    let tag = res.headers()["etag"].to_str().unwrap().to_owned();
    let res = get_with(
        &http,
        &format!("http://{addr}/charge"),
        &[("if-none-match", &tag)],
    )
    .await;
    assert_eq!(res.status(), 304);
    let res = get_with(
        &http,
        &format!("http://{addr}/tonle-merchant-ffffffffffffffff.js"),
        &[],
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = get_with(&http, &format!("http://{addr}/api/v1/nope"), &[]).await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

/// Without `--static-dir` the app built into the binary is served (a debug build reads the
/// checkout's `dist/`, a release build carries it): the test command builds `dist/` first.
#[tokio::test]
async fn the_built_in_app_is_served_without_a_folder() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    if !dist.join("index.html").is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "dist/ is missing: the test command builds it before the tests"
        );
        eprintln!("no dist/: build it with scripts/build-web.sh");
        return;
    }
    let app = spawn_app_with(|s| s.static_dir = None).await;
    let (addr, http) = (app.addr, app.http.clone());
    let res = get_with(&http, &format!("http://{addr}/charge"), &[]).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let wasm = page
        .split(['"', '\''])
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("the page names its wasm")
        .trim_start_matches('/')
        .to_owned();
    let url = format!("http://{addr}/{wasm}");
    let res = get_with(&http, &url, &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(res.status(), 200, "{url}");
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_that_allows_only_their_own_inline_scripts() {
    let site = tempfile::tempdir().unwrap();
    let dist = site.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let inline = "import init from '/app.js'; await init();";
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><script type=\"module\">{inline}</script><script src=\"/x.js\"></script>"),
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "// app").unwrap();
    let app = spawn_app_with(|s| {
        s.static_dir = Some(dist);
        s.frame_ancestors = vec!["https://pos.example".into()];
    })
    .await;
    let page = get_with(&app.http, &format!("http://{}/charge", app.addr), &[]).await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(
        csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"),
        "{csp}"
    );
    assert!(
        csp.ends_with("frame-ancestors 'self' https://pos.example"),
        "{csp}"
    );
    let file = get_with(
        &app.http,
        &format!("http://{}/app-0123456789abcdef.js", app.addr),
        &[],
    )
    .await;
    assert!(
        file.headers().get("content-security-policy").is_none(),
        "only pages carry it"
    );
}

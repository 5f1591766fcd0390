//! tonle behind a real nginx (Debian's `nginx-light`), run with the config of
//! docs/deploy/nginx.conf, and clients on many loopback addresses (127.0.0.2, 127.0.0.3, …): a
//! stranger's wrong passwords do not lock the owner out, sign-ups from many clients are not one
//! client's, a client that writes its own X-Forwarded-For (through the proxy or straight to
//! tonle) stays throttled, 600 websockets from 600 addresses all open past the per-address TCP
//! cap, and one client past its websocket cap is refused.
//!
//! Needs nginx (`/usr/sbin/nginx`); the test command installs it. Without it the test says so
//! and passes, unless `TONLE_REQUIRE_NGINX` is set (the test command sets it).
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::config::{Limits, Settings};
use tonle_server::startup::Application;

#[path = "../examples/support/nginx.rs"]
mod nginx;

/// The websocket cap per client address in this test (the default is larger).
const WS_PER_IP: usize = 40;

fn loopback(a: u8, b: u8, c: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, a, b, c))
}

/// An HTTP client whose connections leave from `ip`.
fn client_from(ip: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip)
        .build()
        .unwrap()
}

fn signup(n: usize) -> serde_json::Value {
    json!({
        "email": format!("shop{n}@proxy.kh"), "password": "0123456789abc",
        "business_name": "Sokha Noodles", "merchant_city": "Phnom Penh",
        "bakong_account_id": format!("shop{n}@aclb")
    })
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
    xff: Option<&str>,
) -> u16 {
    let mut req = http.post(url).json(body);
    if let Some(xff) = xff {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.unwrap().status().as_u16()
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A websocket from `ip` to `to`: `Ok` once the server's hello arrives, else the HTTP status.
async fn open_ws(ip: IpAddr, to: SocketAddr, cookie: &str) -> Result<Ws, u16> {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(ip, 0)).unwrap();
    let stream = socket.connect(to).await.unwrap();
    let mut req = format!("ws://{to}/api/v1/events")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    let stream = tokio_tungstenite::MaybeTlsStream::Plain(stream);
    match tokio_tungstenite::client_async(req, stream).await {
        Ok((mut ws, _)) => match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.contains("hello") => Ok(ws),
            other => panic!("no hello: {other:?}"),
        },
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("websocket handshake: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_each_client_is_its_own_address() {
    let Some(bin) = nginx::binary() else {
        assert!(
            std::env::var_os("TONLE_REQUIRE_NGINX").is_none(),
            "nginx is required (apt-get install nginx-light)"
        );
        eprintln!("nginx not installed: skipping the reverse-proxy test");
        return;
    };
    tonle_server::serve::raise_open_files(4096);
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(dir.path().join("data"));
    // The limits a real deployment has, but for the websocket cap per address (kept small).
    settings.limits = Limits {
        max_websockets_per_ip: WS_PER_IP,
        ..Limits::default()
    };
    settings.forwarding.trusted = "127.0.0.1".parse().unwrap();
    let app = Application::build(settings).await.unwrap();
    let direct = app.addr().unwrap();
    let (_stop, rx) = oneshot::channel::<()>();
    tokio::spawn(app.run(async move {
        let _ = rx.await;
    }));
    let nginx = nginx::Nginx::start(&bin, dir.path(), direct).await;
    let proxy: SocketAddr = ([127, 0, 0, 1], nginx.port).into();
    let via = |path: &str| format!("http://{proxy}{path}");

    // 1. Twelve sign-ups, each from its own client: none is refused (the limit is per client).
    let mut owner_cookie = String::new();
    for n in 0..12 {
        let http = client_from(loopback(0, 1, n as u8 + 1));
        let res = http
            .post(via("/api/v1/merchants"))
            .json(&signup(n))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "sign-up {n} through the proxy");
        if n == 0 {
            owner_cookie = res
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with("tonle_session="))
                .and_then(|c| c.split(';').next())
                .unwrap()
                .to_owned();
            assert!(
                !res.headers()["set-cookie"]
                    .to_str()
                    .unwrap()
                    .contains("Secure"),
                "plain http through the proxy: no Secure cookie"
            );
        }
    }

    // 2. A stranger's wrong passwords for the owner's email (12, past the per-pair limit of 10)
    //    do not keep the owner out from their own address.
    let stranger = client_from(loopback(0, 2, 1));
    let wrong = json!({"email": "shop0@proxy.kh", "password": "not-the-password"});
    let mut refused = 0;
    for _ in 0..12 {
        if post(&stranger, &via("/api/v1/session"), &wrong, None).await == 429 {
            refused += 1;
        }
    }
    assert!(
        refused >= 2,
        "the stranger is throttled ({refused} refused)"
    );
    let owner = client_from(loopback(0, 2, 2));
    let right = json!({"email": "shop0@proxy.kh", "password": "0123456789abc"});
    assert_eq!(
        post(&owner, &via("/api/v1/session"), &right, None).await,
        200,
        "the owner signs in from another client"
    );

    // 3. A client that writes its own X-Forwarded-For stays one client: through the proxy
    //    (nginx appends the address it saw, tonle reads from the right) ...
    let spoofer = client_from(loopback(0, 3, 1));
    let mut codes = Vec::new();
    for n in 0..11 {
        let forged = format!("198.51.100.{n}");
        codes.push(
            post(
                &spoofer,
                &via("/api/v1/merchants"),
                &signup(100 + n),
                Some(&forged),
            )
            .await,
        );
    }
    assert!(codes[..10].iter().all(|c| *c == 201), "{codes:?}");
    assert_eq!(
        codes[10], 429,
        "the 11th sign-up of one client, forged headers or not"
    );
    // ... and straight to tonle, where the header of an untrusted peer is ignored.
    let direct_spoofer = client_from(loopback(0, 3, 2));
    let mut codes = Vec::new();
    for n in 0..11 {
        let forged = format!("198.51.100.{n}, 127.0.0.1");
        let url = format!("http://{direct}/api/v1/merchants");
        codes.push(post(&direct_spoofer, &url, &signup(200 + n), Some(&forged)).await);
    }
    assert!(codes[..10].iter().all(|c| *c == 201), "{codes:?}");
    assert_eq!(codes[10], 429, "direct with a forged header");

    // 4. 600 websockets from 600 client addresses through the proxy all open (the proxy's own
    //    600 connections are not held to the per-address TCP cap of 512).
    let mut sockets = Vec::new();
    for i in 0..600u32 {
        let ip = loopback(1, (i / 250) as u8 + 1, (i % 250) as u8 + 1);
        match open_ws(ip, proxy, &owner_cookie).await {
            Ok(ws) => sockets.push(ws),
            Err(status) => panic!("websocket {i} from {ip} refused with {status}"),
        }
    }
    assert_eq!(sockets.len(), 600);

    // 5. One client past its websocket cap is refused, through the proxy and directly.
    let busy = loopback(2, 0, 1);
    let mut own = Vec::new();
    for i in 0..WS_PER_IP {
        own.push(
            open_ws(busy, proxy, &owner_cookie)
                .await
                .unwrap_or_else(|s| panic!("socket {i} of the busy client: {s}")),
        );
    }
    assert_eq!(
        open_ws(busy, proxy, &owner_cookie).await.err(),
        Some(429),
        "one past the cap through the proxy"
    );
    let direct_busy = loopback(2, 0, 2);
    for _ in 0..WS_PER_IP {
        own.push(open_ws(direct_busy, direct, &owner_cookie).await.unwrap());
    }
    assert_eq!(
        open_ws(direct_busy, direct, &owner_cookie).await.err(),
        Some(429),
        "one past the cap directly"
    );
    // A closed socket gives its place back.
    drop(own.pop());
    let started = Instant::now();
    loop {
        match open_ws(direct_busy, direct, &owner_cookie).await {
            Ok(_) => break,
            Err(429) if started.elapsed() < Duration::from_secs(10) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(s) => panic!("a freed place was not given back: {s}"),
        }
    }
    drop(sockets);
}

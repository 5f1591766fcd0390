//! The attacks of the second list: payment notifications forged, replayed, stale and tampered;
//! one merchant's session, API key and paired display probing every endpoint with the other
//! merchant's ids; cross-site writes; bodies nested 100,000 deep; pairing codes guessed; and a
//! bystander merchant whose payments keep flowing (and are timed) while the server is attacked.

use super::*;

/// A merchant who is not attacking: a charge paid about twice a second (a busy counter, inside
/// the 120 charges a minute a merchant may make), each timed until its `charge_paid` reaches
/// the merchant's websocket.
pub struct Bystander {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<Vec<Duration>>,
}

impl Bystander {
    pub async fn start(s: &Server) -> Self {
        let http = client_from("127.0.0.50");
        let cookie = register(&http, s, "bystander@shop.kh", "bystander@aclb").await;
        let mut req = format!("ws://{}/api/v1/events", s.addr)
            .into_client_request()
            .unwrap();
        req.headers_mut().insert("cookie", cookie.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let (url, secret) = (s.url(""), s.secret());
        let task = tokio::spawn(async move {
            let mut samples = Vec::new();
            while !*stopped.borrow() {
                let c: Value = http
                    .post(format!("{url}/api/v1/charges"))
                    .header("cookie", &cookie)
                    .json(&json!({"amount": "1000", "currency": "KHR"}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let body = serde_json::to_vec(&json!({
                    "transaction_id": format!("bystander-{}", samples.len()), "md5": c["md5"],
                    "amount": "1000", "currency": "KHR", "paid_at_ms": tonle_server::clock::now_ms(),
                    "payer": {"wallet": "Bakong", "country": "KH"}
                }))
                .unwrap();
                let id = format!("msg_by_{}", samples.len());
                let ts = tonle_server::clock::now_ms() / 1000;
                let t0 = Instant::now();
                let res = http
                    .post(format!("{url}/api/v1/notifications/sandbox"))
                    .header("content-type", "application/json")
                    .header("webhook-id", &id)
                    .header("webhook-timestamp", ts.to_string())
                    .header("webhook-signature", secret.sign(&id, ts, &body))
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "the bystander's payment");
                let want = c["id"].as_str().unwrap().to_owned();
                loop {
                    let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
                        .await
                        .expect("the bystander's event in time")
                        .unwrap()
                        .unwrap();
                    if msg
                        .to_text()
                        .is_ok_and(|t| t.contains("charge_paid") && t.contains(&want))
                    {
                        break;
                    }
                }
                samples.push(t0.elapsed());
                tokio::select! {
                    _ = stopped.changed() => {}
                    () = tokio::time::sleep(Duration::from_millis(550)) => {}
                }
            }
            samples
        });
        Self { stop, task }
    }

    /// Stops; the sorted latencies.
    pub async fn stop(self) -> Vec<Duration> {
        let _ = self.stop.send(true);
        let mut v = self.task.await.unwrap();
        v.sort();
        v
    }
}

/// Signs `body` with `secret` as message `id` at `ts` and posts it; the status.
async fn post_signed(
    http: &reqwest::Client,
    s: &Server,
    secret: &WebhookSecret,
    id: &str,
    ts: i64,
    body: &[u8],
) -> u16 {
    let sig = secret.sign(id, ts, body);
    raw_notify(http, s, id, &ts.to_string(), &sig, body)
        .await
        .status()
        .as_u16()
}

async fn raw_notify(
    http: &reqwest::Client,
    s: &Server,
    id: &str,
    ts: &str,
    sig: &str,
    body: &[u8],
) -> reqwest::Response {
    http.post(s.url("/api/v1/notifications/sandbox"))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", ts)
        .header("webhook-signature", sig)
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

/// Forged, replayed, stale and tampered payment notifications.
pub async fn notifications(t: &mut Tally, s: &Server, owner: &str) {
    let http = client_from("127.0.0.11");
    let c: Value = post_json(
        &http,
        s,
        owner,
        "/api/v1/charges",
        json!({"amount": "7000", "currency": "KHR"}),
    )
    .await;
    let body = serde_json::to_vec(&json!({
        "transaction_id": "probe-tx-1", "md5": c["md5"], "amount": "7000", "currency": "KHR",
        "paid_at_ms": tonle_server::clock::now_ms(), "payer": {"wallet": "Bakong", "country": "KH"}
    }))
    .unwrap();
    let now = tonle_server::clock::now_ms() / 1000;
    let forged = WebhookSecret::generate();
    let status = post_signed(&http, s, &forged, "msg_f", now, &body).await;
    t.check("a notification signed with another secret", status == 401);
    let res = raw_notify(&http, s, "msg_u", &now.to_string(), "", &body).await;
    t.check("an unsigned notification", res.status() == 401);
    let status = post_signed(&http, s, &s.secret(), "msg_s", now - 600, &body).await;
    t.check("a notification signed 10 minutes ago", status == 401);
    let status = post_signed(&http, s, &s.secret(), "msg_fu", now + 600, &body).await;
    t.check("a notification dated 10 minutes ahead", status == 401);
    let mut tampered = body.clone();
    let sig = s.secret().sign("msg_t", now, &body);
    if let Some(p) = tampered.windows(4).position(|w| w == b"7000") {
        tampered[p] = b'9';
    }
    let res = raw_notify(&http, s, "msg_t", &now.to_string(), &sig, &tampered).await;
    t.check(
        "a notification whose amount was changed after signing",
        res.status() == 401,
    );
    let res = raw_notify(&http, s, "msg_other", &now.to_string(), &sig, &body).await;
    t.check(
        "a signature moved to another webhook-id",
        res.status() == 401,
    );
    // The real one, then replayed as is, then replayed with a new id and signature.
    let sig = s.secret().sign("msg_real", now, &body);
    let first: Value = raw_notify(&http, s, "msg_real", &now.to_string(), &sig, &body)
        .await
        .json()
        .await
        .unwrap();
    let again: Value = raw_notify(&http, s, "msg_real", &now.to_string(), &sig, &body)
        .await
        .json()
        .await
        .unwrap();
    let sig2 = s.secret().sign("msg_real2", now, &body);
    let third: Value = raw_notify(&http, s, "msg_real2", &now.to_string(), &sig2, &body)
        .await
        .json()
        .await
        .unwrap();
    t.check(
        "a replayed notification credits again",
        first["credited"] == true && again["credited"] == false,
    );
    t.check(
        "a re-signed replay credits again",
        third["credited"] == false,
    );
    let payments = get_json(&http, s, owner, "/api/v1/payments").await;
    let n = payments["items"].as_array().map_or(0, |a| {
        a.iter()
            .filter(|p| p["transaction_id"] == "probe-tx-1")
            .count()
    });
    t.check("a replayed payment is listed twice", n == 1);
}

/// How a probe authenticates.
enum Auth<'a> {
    Cookie(&'a str),
    Bearer(&'a str),
}

impl Auth<'_> {
    fn apply(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Self::Cookie(c) => r.header("cookie", *c),
            Self::Bearer(t) => r.bearer_auth(t),
        }
    }
}

/// The ids a merchant owns, made through the API.
pub struct Owned {
    pub charge: String,
    pub payment: String,
    pub terminal: String,
    pub device: String,
    pub device_token: String,
    pub key: String,
    pub key_id: String,
    pub endpoint: String,
}

/// Makes one of everything for a merchant.
pub async fn own_everything(http: &reqwest::Client, s: &Server, cookie: &str, tag: &str) -> Owned {
    let store: Value = post_json(
        http,
        s,
        cookie,
        "/api/v1/stores",
        json!({"name": format!("Store {tag}")}),
    )
    .await;
    let term: Value = post_json(
        http,
        s,
        cookie,
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Till"}),
    )
    .await;
    let terminal = term["id"].as_str().unwrap().to_owned();
    let code: Value = post_json(
        http,
        s,
        cookie,
        &format!("/api/v1/terminals/{terminal}/pairing"),
        json!({}),
    )
    .await;
    let paired: Value = post_json(
        http,
        s,
        "",
        "/api/v1/devices/pair",
        json!({"code": code["code"]}),
    )
    .await;
    let c: Value = post_json(
        http,
        s,
        cookie,
        "/api/v1/charges",
        json!({"amount": "4000", "currency": "KHR", "terminal_id": terminal}),
    )
    .await;
    let tx = format!("own-{tag}");
    assert_eq!(
        notify(http, s, &json!({"transaction_id": tx, "md5": c["md5"], "amount": "4000", "currency": "KHR",
            "paid_at_ms": tonle_server::clock::now_ms(), "payer": {"wallet": "Bakong", "country": "KH"}}), &now_secs()).await,
        200
    );
    let payments = get_json(http, s, cookie, "/api/v1/payments").await;
    let payment = payments["items"][0]["id"].as_str().unwrap().to_owned();
    let key: Value = post_json(http, s, cookie, "/api/v1/api-keys",
        json!({"name": "POS", "scopes": ["charges:read", "charges:write", "payments:read", "events:read"]})).await;
    let endpoint: Value = post_json(
        http,
        s,
        cookie,
        "/api/v1/webhook-endpoints",
        json!({"url": "https://93.184.216.34/hook"}),
    )
    .await;
    let devices = get_json(http, s, cookie, "/api/v1/devices").await;
    Owned {
        charge: c["id"].as_str().unwrap().to_owned(),
        payment,
        terminal,
        device: devices[0]["id"]
            .as_str()
            .or(devices["items"][0]["id"].as_str())
            .unwrap_or_default()
            .to_owned(),
        device_token: paired["token"].as_str().unwrap().to_owned(),
        key: key["key"].as_str().unwrap().to_owned(),
        key_id: key["id"].as_str().unwrap().to_owned(),
        endpoint: endpoint["id"].as_str().unwrap_or_default().to_owned(),
    }
}

/// Every operation of the OpenAPI document, called by merchant B's session, API key and paired
/// display with merchant A's ids (and every list read by B): nothing of A's is answered, changed
/// or listed.
pub async fn cross_tenant(t: &mut Tally, s: &Server, a_cookie: &str, b_cookie: &str) {
    let http = client_from("127.0.0.12");
    let a = own_everything(&http, s, a_cookie, "a").await;
    let b = own_everything(&http, s, b_cookie, "b").await;
    // The probes mean something only if B's callers work on B's own things.
    assert!(
        !a.endpoint.is_empty() && !a.device.is_empty(),
        "A owns an endpoint and a display"
    );
    for (who, r) in [
        (
            "session",
            http.get(s.url(&format!("/api/v1/charges/{}", b.charge)))
                .header("cookie", b_cookie),
        ),
        (
            "API key",
            http.get(s.url(&format!("/api/v1/charges/{}", b.charge)))
                .bearer_auth(&b.key),
        ),
        (
            "display",
            http.get(s.url(&format!("/api/v1/charges/{}", b.charge)))
                .bearer_auth(&b.device_token),
        ),
    ] {
        assert_eq!(
            r.send().await.unwrap().status(),
            200,
            "B's {who} reads B's charge"
        );
    }
    let doc: Value = http
        .get(s.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let a_ids = [
        &a.charge,
        &a.payment,
        &a.terminal,
        &a.device,
        &a.key_id,
        &a.endpoint,
    ];
    let mut probes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        // Token-addressed and network endpoints belong to no merchant.
        if path.contains("{token}") || path.contains("{network}") {
            continue;
        }
        let id = match path.split('/').nth(3) {
            Some("charges") => &a.charge,
            Some("payments") => &a.payment,
            Some("terminals") => &a.terminal,
            Some("devices") => &a.device,
            Some("api-keys") => &a.key_id,
            Some("webhook-endpoints") => &a.endpoint,
            _ => &a.endpoint,
        };
        let url = s.url(&path.replace("{id}", id));
        for method in item.as_object().unwrap().keys() {
            let m: reqwest::Method = method.to_uppercase().parse().unwrap();
            let callers = [
                ("B's owner session", Auth::Cookie(b_cookie)),
                ("B's API key", Auth::Bearer(&b.key)),
                ("B's display", Auth::Bearer(&b.device_token)),
            ];
            for (who, auth) in callers {
                if matches!(path.as_str(), "/api/v1/session" | "/api/v1/sessions")
                    && method == "delete"
                {
                    continue; // signs B out: not a probe of A
                }
                let res = auth
                    .apply(http.request(m.clone(), &url))
                    .json(&json!({"status": "accepted", "resolution": "accepted", "url": "https://93.184.216.34/x",
                                  "enabled": false, "amount": "1", "currency": "KHR", "name": "x"}))
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let text = res.text().await.unwrap_or_default();
                let leaked = a_ids
                    .iter()
                    .any(|id| !id.is_empty() && text.contains(id.as_str()));
                probes += 1;
                if path.contains("{id}") {
                    t.check(
                        &format!("{who}: {} {path} with A's id", method.to_uppercase()),
                        !(200..300).contains(&status) && !leaked,
                    );
                } else if method == "get" {
                    t.check(&format!("{who}: GET {path} lists A's"), !leaked);
                }
            }
        }
    }
    // Nothing of A's changed under B's hands.
    let charge = get_json(&http, s, a_cookie, &format!("/api/v1/charges/{}", a.charge)).await;
    t.check("B changed A's charge", charge["status"] == "paid");
    let works = async |path: &str, auth: Auth<'_>| {
        let res = auth.apply(http.get(s.url(path))).send().await.unwrap();
        res.status() == 200
    };
    let key_works = works("/api/v1/charges", Auth::Bearer(&a.key)).await;
    t.check("A's API key stopped working after B's probes", key_works);
    let still = works("/api/v1/session", Auth::Bearer(&a.device_token)).await;
    t.check("A's display was revoked by B", still);
    let endpoints = get_json(&http, s, a_cookie, "/api/v1/webhook-endpoints")
        .await
        .to_string();
    t.check(
        "B deleted A's webhook endpoint",
        a.endpoint.is_empty() || endpoints.contains(&a.endpoint),
    );
    // B's websocket from the start of time carries none of A's events.
    for (who, auth) in [
        ("cookie", format!("cookie:{b_cookie}")),
        ("API key", format!("authorization:Bearer {}", b.key)),
        (
            "display",
            format!("authorization:Bearer {}", b.device_token),
        ),
    ] {
        let mut req = format!("ws://{}/api/v1/events?since=0", s.addr)
            .into_client_request()
            .unwrap();
        let (h, v) = auth.split_once(':').unwrap();
        let name: reqwest::header::HeaderName = h.parse().unwrap();
        req.headers_mut().insert(name, v.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        let mut leaked = false;
        while let Ok(Some(Ok(msg))) =
            tokio::time::timeout(Duration::from_millis(400), ws.next()).await
        {
            let text = msg.to_text().unwrap_or_default().to_owned();
            leaked |= a_ids
                .iter()
                .any(|id| !id.is_empty() && text.contains(id.as_str()));
        }
        t.check(
            &format!("B's websocket ({who}) replays A's events"),
            !leaked,
        );
    }
    eprintln!("cross-tenant: {probes} probes");
}

/// Writes from another origin with the owner's cookie.
pub async fn csrf(t: &mut Tally, s: &Server, owner: &str) {
    let http = client_from("127.0.0.13");
    for (method, path) in [
        ("POST", "/api/v1/charges"),
        ("PUT", "/api/v1/merchant"),
        ("POST", "/api/v1/api-keys"),
        ("DELETE", "/api/v1/session"),
    ] {
        let res = http
            .request(method.parse().unwrap(), s.url(path))
            .header("cookie", owner)
            .header("origin", "https://evil.example")
            .json(
                &json!({"amount": "1", "currency": "USD", "name": "x", "scopes": ["charges:read"]}),
            )
            .send()
            .await
            .unwrap();
        t.check(
            &format!("a cross-site {method} {path} with the owner's cookie"),
            res.status() == 403,
        );
    }
}

/// JSON nested 100,000 deep, where a body is read.
pub async fn nested(t: &mut Tally, s: &Server, owner: &str) {
    let http = client_from("127.0.0.14");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(20_000), "}".repeat(20_000));
    for (path, body) in [
        ("/api/v1/charges", &deep),
        ("/api/v1/merchants", &deep_obj),
        ("/api/v1/session", &deep),
    ] {
        // Past the 64 KiB body cap the server answers 413 and closes while the client may still
        // be writing: the client then sees its connection cut. Either way it was refused (the
        // suite checks afterwards that the server still answers).
        let res = http
            .post(s.url(path))
            .header("cookie", owner)
            .header("content-type", "application/json")
            .header("connection", "close")
            .body(body.clone())
            .send()
            .await;
        t.check(
            &format!("a body nested 100,000 deep to {path}"),
            res.as_ref()
                .map_or(true, |r| (400..500).contains(&r.status().as_u16())),
        );
    }
    let health = http.get(s.url("/healthz")).send().await.unwrap().status();
    t.check("the server answers after the nested bodies", health == 200);
}

/// Guessing pairing codes from one address.
pub async fn pairing_guesses(t: &mut Tally, s: &Server) {
    let http = client_from("127.0.0.15");
    let mut statuses = Vec::new();
    for i in 0..40 {
        let res = http
            .post(s.url("/api/v1/devices/pair"))
            .json(&json!({"code": format!("{:08}", 10_000_000 + i * 7919)}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    t.check(
        "a pairing code guessed 40 times from one address",
        statuses.iter().all(|s| *s != 201) && statuses.contains(&429),
    );
}

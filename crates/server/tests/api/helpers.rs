//! `spawn_app()` and typed helpers; every test goes through HTTP.

use std::net::SocketAddr;

use serde_json::{Value, json};
use tokio::sync::oneshot;
use tonle_server::api;
use tonle_server::config::Settings;
use tonle_server::signing::WebhookSecret;
use tonle_server::startup::Application;

pub struct TestApp {
    pub addr: SocketAddr,
    /// the metrics listener, when the settings turned it on
    pub metrics: Option<SocketAddr>,
    pub http: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    /// PostgreSQL when the suite runs on it (`TONLE_TEST_DATABASE_URL`), else SQLite in `data_dir`
    pub database_url: Option<String>,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// A stand-in Bakong Open API on a free port.
pub struct StandInServer {
    pub url: String,
    pub standin: tonle_server::bakong::standin::StandIn,
}

pub async fn spawn_standin() -> StandInServer {
    let standin = tonle_server::bakong::standin::StandIn::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    StandInServer { url, standin }
}

pub struct Merchant {
    pub cookie: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with its settings changed by `change` first.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(data_dir.path().to_path_buf());
    change(&mut settings);
    start(settings, data_dir).await
}

/// Starts the app on `settings` (whose data dir is `data_dir`).
pub async fn start(settings: Settings, data_dir: tempfile::TempDir) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        tonle_server::telemetry::init("debug");
    }
    let database_url = settings.database_url.clone();
    let app = Application::build(settings).await.unwrap();
    let addr = app.addr().unwrap();
    let metrics = app.metrics_addr();
    let (stop, rx) = oneshot::channel::<()>();
    let done = tokio::spawn(app.run(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        metrics,
        http: reqwest::Client::new(),
        data_dir,
        database_url,
        stop,
        done,
    }
}

impl TestApp {
    /// Shuts the server down (as SIGTERM does) and hands back its data dir.
    pub async fn stop(self) -> tempfile::TempDir {
        let _ = self.stop.send(());
        let _ = self.done.await;
        self.data_dir
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn register(&self, email: &str, bakong: &str) -> Merchant {
        let res = self
            .http
            .post(self.url("/api/v1/merchants"))
            .json(&json!({
                "email": email, "password": "0123456789abc", "business_name": "Sokha Noodles",
                "merchant_city": "Phnom Penh", "bakong_account_id": bakong
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let cookie = cookie_of(&res);
        Merchant { cookie }
    }

    /// POSTs a JSON body as `cookie`'s user.
    pub async fn post_as(
        &self,
        cookie: &str,
        path: &str,
        body: Value,
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(self.url(path))
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
    }

    /// GET a JSON body as `cookie`'s user.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, cookie: &str, path: &str) -> T {
        self.http
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn create_charge(
        &self,
        m: &Merchant,
        body: Value,
        key: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(self.url("/api/v1/charges"))
            .header("cookie", &m.cookie)
            .json(&body);
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        req.send().await.unwrap()
    }

    pub async fn charge(&self, m: &Merchant, amount: &str, currency: &str) -> api::ChargeView {
        let res = self
            .create_charge(m, json!({"amount": amount, "currency": currency}), None)
            .await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    pub fn sandbox_secret(&self) -> WebhookSecret {
        tonle_server::signing::read_sandbox_secret(self.data_dir.path()).unwrap()
    }

    /// Posts a notification signed with `secret` at `ts` (seconds) under `msg_id`.
    pub async fn notify_signed(
        &self,
        body: &Value,
        secret: &WebhookSecret,
        msg_id: &str,
        ts: i64,
    ) -> reqwest::Response {
        let bytes = serde_json::to_vec(body).unwrap();
        self.http
            .post(self.url("/api/v1/notifications/sandbox"))
            .header("content-type", "application/json")
            .header("webhook-id", msg_id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", secret.sign(msg_id, ts, &bytes))
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    pub async fn notify(&self, body: &Value) -> reqwest::Response {
        let now = tonle_server::clock::now_ms() / 1000;
        self.notify_signed(
            body,
            &self.sandbox_secret(),
            &format!("msg_{}", uuid_like()),
            now,
        )
        .await
    }
}

/// The session cookie (`name=value`) a sign-in, sign-up or invitation answer sets.
pub fn cookie_of(res: &reqwest::Response) -> String {
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// A webhook id unique within the test run.
pub fn uuid_like() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:x}-{n}", tonle_server::clock::now_ms())
}

pub fn payment_for(charge: &api::ChargeView, tx: &str) -> Value {
    json!({
        "transaction_id": tx,
        "md5": charge.md5,
        "bill_number": charge.bill_number,
        "amount": charge.amount,
        "currency": charge.currency,
        "paid_at_ms": tonle_server::clock::now_ms(),
        "payer": { "wallet": "UnionPay App", "institution": "Bank of China", "country": "CN",
                   "amount": "84.96", "currency": "CNY", "rate": "565" }
    })
}

/// GETs `url` with `headers`.
pub async fn get_with(
    http: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = http.get(url);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

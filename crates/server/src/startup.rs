//! Wiring: the router, the listener and the background tasks around `state::AppState`.
//! `Application::build` binds first (port 0 works) so tests and the CLI know the address before
//! serving.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::any;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::bus::EventBus;
use crate::config::Settings;
use crate::error::ApiError;
use crate::hashing::Hasher;
use crate::signing;
use crate::store::Store;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use crate::throttle::Throttles;

use crate::state::AppState;

/// How long open websockets have at shutdown to be told 1012 and closed.
const SOCKETS_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// Request body cap for every endpoint.
pub const BODY_LIMIT: usize = 64 * 1024;

async fn api_not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

/// The full router: API, then the web app (a file, or the page of the bundle owning a
/// client-side route).
pub fn router(state: AppState) -> Router {
    let request_timeout = state.settings.limits.request_timeout;
    let mut app = crate::routes::api(state.sandbox_secret.is_some())
        .merge(crate::openapi::router())
        .route("/api/{*rest}", any(api_not_found))
        // Inside routing, where the matched template is known: the metrics read it.
        .route_layer(axum::middleware::from_fn(mark_route));
    let source = state.settings.web_source();
    if source.has_app() {
        let web = crate::web::WebApp::new(source, state.settings.frame_ancestors.clone());
        app = app.fallback(any(move |req: Request| {
            let web = web.clone();
            async move { web.answer(req.method(), req.uri(), req.headers()) }
        }));
    }
    app.with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // The whole request, body included, must arrive (and be answered) in time: a body sent a
        // byte every few seconds is cut off. A websocket is answered (101) at once, so it is not.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        // The framework's own refusals (413, 405, 408) in the documented JSON body.
        .layer(axum::middleware::map_response(crate::error::json_refusals))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Revalidate what does not say otherwise (API answers; the web app sets its own: hashed
        // files are immutable, pages revalidate with their ETag).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(axum::middleware::from_fn(measure))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
}

/// A request's span: method, path and the client as decided once (`client::ClientAddr`).
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let client = req
        .extensions()
        .get::<crate::client::ClientAddr>()
        .map(|c| c.ip.to_string())
        .unwrap_or_default();
    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path(), %client)
}

/// The route template a request matched, carried on its response to [`measure`].
#[derive(Clone)]
struct RouteTemplate(String);

async fn mark_route(
    path: Option<axum::extract::MatchedPath>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let mut res = next.run(req).await;
    if let Some(path) = path {
        res.extensions_mut()
            .insert(RouteTemplate(path.as_str().to_owned()));
    }
    res
}

/// Counts and times every request by route template and status class.
async fn measure(req: Request, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_owned();
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<RouteTemplate>()
        .map_or("web app", |r| r.0.as_str());
    crate::metrics::http_request(route, &method, res.status().as_u16(), started.elapsed());
    res
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    router: Router,
    state: AppState,
    shutdown_tx: watch::Sender<bool>,
}

impl Application {
    /// Opens the store, prepares secrets and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let bus = EventBus::new();
        let store: Arc<dyn Store> = match &settings.database_url {
            Some(url) => {
                Arc::new(PgStore::open(url, settings.database_max_connections, bus.clone()).await?)
            }
            None => Arc::new(SqliteStore::open(&settings.database_path(), bus.clone()).await?),
        };
        let sandbox_secret = if settings.sandbox {
            tracing::warn!(
                "SANDBOX MODE: test wallets and whoever holds {} can mark charges paid; no real money (every screen says so)",
                settings
                    .data_dir
                    .join(signing::SANDBOX_SECRET_FILE)
                    .display()
            );
            Some(signing::load_or_create_sandbox_secret(&settings.data_dir)?)
        } else {
            if store.holds_sandbox_payments().await? {
                tracing::warn!(
                    "this database holds sandbox (test) payments, and --sandbox is off: its history mixes test money with real; start a shop on a fresh data dir"
                );
            }
            None
        };
        let (shutdown_tx, shutdown) = watch::channel(false);
        let listener = TcpListener::bind(settings.addr).await?;
        let metrics_listener = match settings.metrics_addr {
            Some(addr) => {
                crate::metrics::install()?;
                let l = TcpListener::bind(addr).await.map_err(|e| {
                    anyhow::anyhow!("--metrics-addr {addr}: {e} (\"off\" turns metrics off)")
                })?;
                Some(l)
            }
            None => None,
        };
        let throttles = Throttles::new(settings.limits.registrations_per_ip).with_charge_rates(
            settings.limits.charges_per_minute,
            settings.limits.charges_per_key_minute,
        );
        let hasher = Hasher::start(settings.limits.hashing_threads)?;
        let secrets =
            crate::secrets::SecretBox::load(settings.secret_key.as_deref(), &settings.data_dir)?;
        let bakong = crate::bakong::Bakong::new(&settings.bakong_api_url, secrets.clone())?;
        let mailer = settings
            .mail
            .as_ref()
            .map(crate::mail::Mailer::new)
            .transpose()?;
        let telegram = match &settings.telegram {
            Some(t) => Some(crate::telegram::Telegram::start(t).await?),
            None => None,
        };
        let settings_limits = settings.limits.clone();
        let state = AppState {
            store,
            bus,
            settings: Arc::new(settings),
            sandbox_secret,
            throttles: Arc::new(throttles),
            hasher,
            bakong: Arc::new(bakong),
            mailer,
            secrets,
            telegram,
            sockets: crate::sockets::Sockets::new(
                settings_limits.max_websockets_per_ip,
                settings_limits.max_websockets_per_merchant,
            ),
            shutdown,
        };
        Ok(Self {
            listener,
            metrics_listener,
            router: router(state.clone()),
            state,
            shutdown_tx,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The metrics listener's address, when metrics are on.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    /// Serves until `stop` resolves, then closes websockets and finishes in-flight requests.
    pub async fn run(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Self {
            listener,
            metrics_listener,
            router,
            state,
            shutdown_tx,
        } = self;
        let expiry = tokio::spawn(crate::expiry::run(state.clone(), state.shutdown.clone()));
        let bakong = tokio::spawn(crate::bakong::run(
            Arc::clone(&state.bakong),
            Arc::clone(&state.store),
            state.shutdown.clone(),
        ));
        let webhooks = tokio::spawn(crate::webhooks::run(state.clone(), state.shutdown.clone()));
        let fx = state
            .settings
            .fx
            .clone()
            .map(|s| tokio::spawn(crate::fx::run(state.clone(), s, state.shutdown.clone())));
        let telegram = state.telegram.clone().map(|bot| {
            tokio::spawn(crate::alerts::run(
                state.clone(),
                bot,
                state.shutdown.clone(),
            ))
        });
        let metrics =
            metrics_listener.map(|listener| tokio::spawn(serve_metrics(listener, state.clone())));
        let signal = async move {
            stop.await;
            tracing::info!(
                "shutting down: no new connections; websockets told to reconnect (1012)"
            );
            let _ = shutdown_tx.send(true);
        };
        let limits = state.settings.limits.clone();
        let served = crate::serve::serve(
            listener,
            router,
            &limits,
            &state.settings.forwarding,
            signal,
        )
        .await;
        // hyper does not track upgraded sockets: give their sessions a moment to send 1012.
        let closing = std::time::Instant::now();
        while state.sockets.open() > 0 && closing.elapsed() < SOCKETS_GRACE {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let _ = expiry.await;
        let _ = bakong.await;
        let _ = webhooks.await;
        if let Some(f) = fx {
            let _ = f.await;
        }
        if let Some(t) = telegram {
            let _ = t.await;
        }
        if let Some(m) = metrics {
            m.abort();
        }
        served
    }
}

/// Serves `GET /metrics` on `listener` (its own port: keep it off the public one) until the
/// process ends. Gauges read from state (pool, outbox) are refreshed at each scrape.
async fn serve_metrics(listener: tokio::net::TcpListener, state: AppState) {
    use axum::routing::get;

    let app = axum::Router::new().route(
        "/metrics",
        get(move || {
            let state = state.clone();
            async move {
                let (size, idle) = state.store.pool_stats();
                crate::metrics::db_pool(size, idle);
                crate::metrics::websockets_open(state.sockets.open());
                if let Ok(depth) = state.store.outbox_depth().await {
                    crate::metrics::webhook_outbox(depth);
                }
                if let Ok(rates) = state.store.fx_state("").await {
                    for r in &rates.latest {
                        crate::metrics::fx_rate_age(
                            r.currency.code(),
                            crate::clock::now_ms() - r.fetched_at,
                        );
                    }
                }
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    crate::metrics::render(),
                )
            }
        }),
    );
    if let Err(e) = axum::serve(listener, app).await {
        tracing::warn!(error = %e, "the metrics listener stopped");
    }
}

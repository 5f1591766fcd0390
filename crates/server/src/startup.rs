//! Wiring: the router, the listener and the background tasks around `state::AppState`.
//! `Application::build` binds first (port 0 works) so tests and the CLI know the address before
//! serving.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use protocol::web::Bundle;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
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

/// Request body cap for every endpoint.
pub const BODY_LIMIT: usize = 64 * 1024;

async fn api_not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

/// The full router: API, then the web app with an `index.html` fallback for client-side routes.
pub fn router(state: AppState) -> Router {
    let request_timeout = state.settings.limits.request_timeout;
    let mut app = crate::routes::api()
        .merge(crate::openapi::router())
        .route("/api/{*rest}", any(api_not_found));
    let dist = state.settings.static_dir.clone();
    if dist.join("index.html").is_file() {
        // `fallback`, not `not_found_service`: an app route like /kiosk is a page (200), not a 404.
        let pages = bundle_pages(&dist);
        let spa = ServeDir::new(&dist).fallback(any(move |uri: Uri, req: Request| {
            let pages = Arc::clone(&pages);
            async move { serve_page(&pages, &uri, req).await }
        }));
        app = app.fallback_service(spa);
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
        // Revalidate everything (304s are cheap): a browser must never run yesterday's app or
        // answer a navigation from its heuristic cache while the server is unreachable.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Each bundle's page (see `protocol::web`), looked up once: `index.html` stands in for a
/// bundle the build does not have.
fn bundle_pages(dist: &std::path::Path) -> Arc<Vec<(Bundle, ServeFile)>> {
    let pages = Bundle::ALL
        .into_iter()
        .map(|bundle| {
            let page = dist.join(bundle.html());
            let page = if page.is_file() {
                page
            } else {
                dist.join("index.html")
            };
            (bundle, ServeFile::new(page))
        })
        .collect();
    Arc::new(pages)
}

/// Answers a page request with the page of the bundle that serves its path.
async fn serve_page(pages: &[(Bundle, ServeFile)], uri: &Uri, req: Request) -> Response {
    let bundle = Bundle::for_path(uri.path());
    let Some((_, page)) = pages.iter().find(|(b, _)| *b == bundle) else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    match page.clone().oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    }
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
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
            Some(signing::load_or_create_sandbox_secret(&settings.data_dir)?)
        } else {
            None
        };
        let (shutdown_tx, shutdown) = watch::channel(false);
        let listener = TcpListener::bind(settings.addr).await?;
        let throttles = Throttles::new(settings.limits.registrations_per_ip);
        let hasher = Hasher::start(settings.limits.hashing_threads)?;
        let secrets =
            crate::secrets::SecretBox::load(settings.secret_key.as_deref(), &settings.data_dir)?;
        let bakong = crate::bakong::Bakong::new(&settings.bakong_api_url, secrets.clone())?;
        let mailer = settings
            .mail
            .as_ref()
            .map(crate::mail::Mailer::new)
            .transpose()?;
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
            shutdown,
        };
        Ok(Self {
            listener,
            router: router(state.clone()),
            state,
            shutdown_tx,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` resolves, then closes websockets and finishes in-flight requests.
    pub async fn run(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Self {
            listener,
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
        let signal = async move {
            stop.await;
            let _ = shutdown_tx.send(true);
        };
        let limits = state.settings.limits.clone();
        let served = crate::serve::serve(listener, router, &limits, signal).await;
        let _ = expiry.await;
        let _ = bakong.await;
        let _ = webhooks.await;
        served
    }
}

//! Reference rates for the yuan estimate, fetched in the background: the National Bank of
//! Cambodia's published rates by default, another source by `--fx-url`, none with `--fx off`.
//! A charge only reads what was stored, so a slow or broken source never delays one. Each
//! fetch is stored with the date the source states; a rate more than 10% from the one in use
//! waits for the owner (see `domain::fx`).

pub mod parse;
pub mod standin;

use tokio::sync::watch;

use crate::clock::now_ms;
use crate::state::AppState;
use crate::store::FxRow;

pub use crate::config::FxSettings;

/// The NBC's exchange-rate table (XML; see `parse`).
pub const NBC_URL: &str = FxSettings::NBC_URL;

/// Why a fetch gave nothing.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// no answer, or not 200
    #[error("the rate source did not answer: {0}")]
    Unreachable(String),
    /// an answer that is not a rate table
    #[error("the rate source's answer was refused: {0}")]
    Malformed(#[from] parse::Malformed),
}

/// Fetches the source once.
pub async fn fetch(client: &reqwest::Client, s: &FxSettings) -> Result<Vec<FxRow>, FetchError> {
    let unreachable = |e: reqwest::Error| FetchError::Unreachable(e.to_string());
    let res = client
        .get(&s.url)
        .timeout(s.timeout)
        .header("accept", "application/xml, application/json, text/xml")
        .send()
        .await
        .map_err(unreachable)?;
    if !res.status().is_success() {
        return Err(FetchError::Unreachable(format!("HTTP {}", res.status())));
    }
    let body = res.text().await.map_err(unreachable)?;
    let quote = parse::quote(&body)?;
    let at = now_ms();
    Ok(quote
        .rates
        .into_iter()
        .map(|(currency, cny_e8)| FxRow {
            currency,
            cny_e8,
            source: s.source,
            rate_date: quote.date.clone(),
            fetched_at: at,
        })
        .collect())
}

/// Fetches and stores rates until shutdown.
pub async fn run(state: AppState, s: FxSettings, mut shutdown: watch::Receiver<bool>) {
    let client = reqwest::Client::builder()
        .user_agent(concat!("tonle/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default();
    loop {
        let wait = match fetch(&client, &s).await {
            Ok(rows) => match state.store.record_fx(&rows).await {
                Ok(()) => {
                    crate::metrics::fx_fetch("ok");
                    s.every
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "storing reference rates failed");
                    s.retry
                }
            },
            Err(e) => {
                crate::metrics::fx_fetch("failed");
                tracing::warn!(url = %s.url, error = %e, "fetching reference rates failed; the last ones stay in use");
                s.retry
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => return,
        }
    }
}

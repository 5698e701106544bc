//! Kopra's web face: server-rendered pages in Bahasa Indonesia (English by switch) and the
//! JSON API under `/api/v1`, on one axum router.

pub mod api;
pub mod attachments;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod region_cache;
pub mod register;
pub mod status_text;
pub mod umkm_params;
pub mod worklist_text;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use kopra_db::Db;
use kopra_db::settings::Office;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub office: Office,
    /// Add `Secure` to cookies (set when Kopra is served over HTTPS).
    pub secure_cookies: bool,
    /// Region lists, read once per process (the reference never changes).
    pub regions: std::sync::Arc<region_cache::RegionCache>,
}

/// Largest request body accepted (JSON and forms). Uploads get their own limit.
pub const BODY_LIMIT: usize = 256 * 1024;

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (StatusCode::OK, axum::Json(serde_json::json!({"status": "ok"})))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "database unavailable"})),
        )
    }
}

fn header_layer(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CsrfLayer::new())
        .layer(header_layer("x-content-type-options", "nosniff"))
        .layer(header_layer("x-frame-options", "DENY"))
        .layer(header_layer("referrer-policy", "same-origin"))
        .layer(header_layer(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a handler panicked");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }))
}

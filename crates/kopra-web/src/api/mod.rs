//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json` (generated from these handlers by utoipa).

mod awards;
pub mod coaching;
mod cooperatives;
pub mod health;
pub mod loans;
mod openapi;
mod proposals;
mod regions;
mod status;
pub mod strengthening;
mod token;
mod worklist;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::routing::{get, patch, post, put};

pub use openapi::ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(token::create))
        .route("/cooperatives", get(cooperatives::list).post(cooperatives::create))
        .route(
            "/cooperatives/{id}",
            get(cooperatives::get_one).patch(cooperatives::patch),
        )
        .route("/cooperatives/{id}/archive", post(cooperatives::archive))
        .route("/cooperatives/{id}/history", get(cooperatives::history))
        .route(
            "/cooperatives/{id}/proposals",
            get(proposals::list).post(proposals::create),
        )
        .route("/proposals/{id}/apply", post(proposals::apply))
        .route("/proposals/{id}/reject", post(proposals::reject))
        .route("/cooperatives/{id}/status", get(status::status))
        .route(
            "/cooperatives/{id}/annual-reports",
            get(status::reports).post(status::create_report),
        )
        .route("/cooperatives/{id}/legal-state", post(status::set_legal_state))
        .route("/annual-reports/{id}", patch(status::patch_report))
        .route(
            "/annual-reports/{id}/attachments",
            get(status::attachments)
                .post(status::attach)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::attachments::UPLOAD_BODY_LIMIT,
                )),
        )
        .route("/attachments/{id}", get(status::download))
        .route("/annual-reports/{id}/history", get(status::report_history))
        .route("/annual-reports/{id}/verify", post(status::verify))
        .route("/annual-reports/{id}/return", post(status::return_report))
        .route("/activation", get(status::activation))
        .route("/plan", get(status::get_plan).put(status::put_plan))
        .route("/health-regulations", get(health::regulations_list))
        .route(
            "/cooperatives/{id}/health-assessments",
            get(health::list).post(health::create),
        )
        .route("/cooperatives/{id}/health-assessments/prefill", get(health::prefill))
        .route("/worklist", get(worklist::list))
        .route("/worklist/{id}/assign", post(worklist::assign))
        .route("/umkm", get(strengthening::umkm_list).post(strengthening::umkm_create))
        .route(
            "/umkm/{id}",
            get(strengthening::umkm_get).patch(strengthening::umkm_patch),
        )
        .route("/umkm/{id}/history", get(strengthening::umkm_history))
        .route("/umkm/{id}/archive", post(strengthening::umkm_archive))
        .route("/coalitions/{id}/status", post(strengthening::coalition_status))
        .route("/umkm/{id}/matches", get(strengthening::umkm_matches))
        .route("/umkm/{id}/memberships", post(strengthening::membership_create))
        .route("/cooperatives/{id}/matches", get(strengthening::cooperative_matches))
        .route(
            "/cooperatives/{id}/matches/{umkm_id}/dismiss",
            post(strengthening::dismiss_match),
        )
        .route("/cooperatives/{id}/loan-readiness", get(strengthening::loan_readiness))
        .route("/loans", get(loans::list).post(loans::create))
        .route("/loans/totals", get(loans::totals))
        .route("/loans/{id}", get(loans::get_one))
        .route("/loans/{id}/stage", post(loans::move_stage))
        .route("/loans/{id}/arrears", post(loans::arrears))
        .route(
            "/coalitions",
            get(strengthening::coalition_list).post(strengthening::coalition_create),
        )
        .route("/coalitions/{id}", get(strengthening::coalition_get))
        .route("/coalitions/{id}/members", post(strengthening::coalition_add_members))
        .route(
            "/coalitions/{id}/transactions",
            get(strengthening::transaction_list).post(strengthening::transaction_create),
        )
        .route("/coaching/visits", get(coaching::list).post(coaching::create))
        .route("/coaching/visits/{id}", get(coaching::get_one))
        .route("/coaching/visits/{id}/record", post(coaching::record))
        .route("/coaching/visits/{id}/follow-ups", post(coaching::add_follow_up))
        .route("/coaching/follow-ups/{id}/status", post(coaching::follow_up_status))
        .route("/coaching/agenda", get(coaching::agenda))
        .route("/coaching/counts", get(coaching::counts))
        .route("/coaching/plan-from-worklist", post(coaching::plan_from_worklist))
        .route("/awards", get(awards::list).post(awards::create))
        .route("/awards/{id}", get(awards::get_one))
        .route("/awards/{id}/jurors", put(awards::set_jurors))
        .route("/awards/{id}/nominations", post(awards::nominate))
        .route("/awards/{id}/ranking", get(awards::ranking))
        .route("/awards/nominations/{id}/score", put(awards::score))
        .route("/awards/nominations/{id}/upward", post(awards::upward))
        .route("/regions", get(regions::list))
        .route("/openapi.json", get(openapi::document))
        .fallback(|ctx: crate::auth::Ctx| async move { crate::error::ApiError(AppError::NotFound, ctx.lang) })
}

/// A JSON body that could not be read, as a 4xx with a code and serde's detail.
pub fn json_rejection(rej: JsonRejection) -> AppError {
    let status = rej.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        _ => "invalid_json",
    };
    let status = if status.is_client_error() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    AppError::BadRequest(status, code, rej.body_text())
}

/// A change body must be a JSON object (field → value).
pub fn json_object(body: serde_json::Value) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    match body {
        serde_json::Value::Object(m) => Ok(m),
        _ => Err(AppError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            "the body must be a JSON object".into(),
        )),
    }
}

pub fn query_rejection(rej: QueryRejection) -> AppError {
    AppError::BadRequest(StatusCode::BAD_REQUEST, "bad_query", rej.body_text())
}

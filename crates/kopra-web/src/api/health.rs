//! Health assessments of savings-and-loan cooperatives.

use super::cooperatives::load;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::check_kecamatan;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::health::{AssessmentRecord, regulation_for_year, regulations};
use kopra_domain::Permission;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Serialize, utoipa::ToSchema)]
pub struct AssessmentList {
    pub items: Vec<AssessmentRecord>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssessmentRequest {
    pub book_year: i32,
    /// permenkop-9-2020 or perdep-06-2016; by default the one in force for the book year.
    pub regulation: Option<String>,
    /// Indicator key → checklist items met, ratio in percent, or worksheet points.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, f64>,
}

/// The regulation configurations: aspects, weights, indicators, bands, cut-offs.
#[utoipa::path(get, path = "/api/v1/health-regulations", security(("bearer" = [])), responses((status = 200, body = Object)))]
pub async fn regulations_list(user: ApiUser) -> Result<Json<serde_json::Value>, ApiError> {
    user.require(Permission::ViewDashboard)?;
    Ok(Json(serde_json::json!({ "items": regulations() })))
}

/// A cooperative's assessments, newest first.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/health-assessments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = AssessmentList), (status = 403), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AssessmentList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    load(&state, &user, id).await?;
    let items = state.db.health_assessments(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(AssessmentList { items }))
}

/// Score and store an assessment; the regulation version is kept with it.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/health-assessments", params(("id" = i64, Path)), request_body = AssessmentRequest, security(("bearer" = [])),
    responses((status = 201, body = AssessmentRecord), (status = 422, description = "missing or out-of-range answers, or not a savings-and-loan cooperative")))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<AssessmentRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<AssessmentRecord>), ApiError> {
    user.require(Permission::EditReports)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let c = load(&state, &user, id).await?;
    check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let regulation = req
        .regulation
        .unwrap_or_else(|| regulation_for_year(req.book_year).to_string());
    let record = state
        .db
        .create_health_assessment(id, req.book_year, &regulation, &req.answers, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrefillParams {
    pub book_year: i32,
}

/// The ratios the annual reports already answer for a book year.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/health-assessments/prefill", params(("id" = i64, Path), PrefillParams), security(("bearer" = [])),
    responses((status = 200, body = Object)))]
pub async fn prefill(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<PrefillParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    load(&state, &user, id).await?;
    let answers = prefill_answers(&state, id, p.book_year)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(
        serde_json::json!({ "regulation": regulation_for_year(p.book_year), "answers": answers }),
    ))
}

pub async fn prefill_answers(state: &AppState, id: i64, book_year: i32) -> Result<BTreeMap<String, f64>, AppError> {
    let reports = state.db.annual_reports(id).await?;
    let this = reports.iter().find(|r| r.report.book_year == book_year);
    let prev = reports.iter().find(|r| r.report.book_year == book_year - 1);
    Ok(this
        .map(|t| kopra_domain::health::prefill_from_reports(&t.report, prev.map(|p| &p.report)))
        .unwrap_or_default())
}

//! Status, annual reports, decrees, activation and the plan.

use super::cooperatives::load;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::{PlanResponse, plan_progress, resolve_scope, today};
use crate::status_text::explain;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::annual_reports::AnnualReportRecord;
use kopra_db::status::{Activation, LegalStateRow};
use kopra_domain::annual_report::AnnualReportInput;
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::plan::Plan;
use kopra_domain::status::Status;
use kopra_domain::{FieldError, FieldErrors, Permission};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// YYYY-MM-DD; today when absent
    pub as_of: Option<String>,
    /// supervised or all (activation only); the plan's setting when absent
    pub scope: Option<String>,
}

fn as_of(p: &AsOfParams) -> Result<Date, AppError> {
    match p.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => {
            parse_iso_date(s).ok_or_else(|| AppError::Invalid(FieldErrors::single("as_of", FieldError::DateFormat)))
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub date: Date,
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusResponse {
    /// active, inactive, no_data, dissolution_candidate, dissolved, in_liquidation or merged
    pub status: String,
    pub since: Option<Date>,
    pub explanation: String,
    pub as_of: Date,
    /// Every change of status up to as_of, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// A cooperative's status on a date, with the sentence naming the evidence.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/status", params(("id" = i64, Path), AsOfParams), security(("bearer" = [])),
    responses((status = 200, body = StatusResponse), (status = 403), (status = 404), (status = 422)))]
pub async fn status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    params: Result<Query<AsOfParams>, QueryRejection>,
) -> Result<Json<StatusResponse>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let date = as_of(&p).map_err(|e| user.fail(e))?;
    load(&state, &user, id).await?;
    let rules = state.db.status_rules().await.map_err(|e| user.fail(e))?;
    let ev = state.db.status_evidence(id).await.map_err(|e| user.fail(e))?;
    let s = ev.status_on(date, rules);
    let timeline = kopra_domain::status::status_timeline(date, &ev.rat_dates, ev.founded, ev.legal.as_ref(), rules)
        .into_iter()
        .map(|(date, s)| TimelineEntry {
            date,
            status: s.as_str().into(),
        })
        .collect();
    let tr = crate::i18n::Tr::new(user.ctx.lang);
    Ok(Json(StatusResponse {
        status: s.status.as_str().into(),
        since: s.since,
        explanation: explain(&tr, &s, rules),
        as_of: date,
        timeline,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportList {
    pub items: Vec<AnnualReportRecord>,
}

/// A cooperative's annual reports, newest book year first.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/annual-reports", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReportList), (status = 403), (status = 404)))]
pub async fn reports(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ReportList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    load(&state, &user, id).await?;
    let items = state.db.annual_reports(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(ReportList { items }))
}

/// Enter an annual report (one per book year). Late RAT or report are flags, not errors.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/annual-reports", params(("id" = i64, Path)), request_body = AnnualReportInput, security(("bearer" = [])),
    responses((status = 201, body = AnnualReportRecord), (status = 409, description = "a report for that book year exists"), (status = 422)))]
pub async fn create_report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<AnnualReportInput>, JsonRejection>,
) -> Result<(StatusCode, Json<AnnualReportRecord>), ApiError> {
    // The office enters reports directly; a cooperative's pengurus proposes them.
    let office = user.user.role.allows(Permission::EditReports);
    if !office {
        user.require(Permission::ProposeChange)?;
    }
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let c = load(&state, &user, id).await?;
    crate::register::check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let report = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    let record = if office {
        state.db.create_annual_report(id, &report, "entry", &user.actor()).await
    } else {
        state.db.propose_annual_report(id, &report, &user.actor()).await
    }
    .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Change an annual report; `version` guards against overwriting a newer one.
#[utoipa::path(patch, path = "/api/v1/annual-reports/{id}", params(("id" = i64, Path)), request_body = Object, security(("bearer" = [])),
    responses((status = 200, body = AnnualReportRecord), (status = 409), (status = 422)))]
pub async fn patch_report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<AnnualReportRecord>, ApiError> {
    let office = user.user.role.allows(Permission::EditReports);
    if !office {
        user.require(Permission::ProposeChange)?;
    }
    let Json(body) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let mut changes = super::json_object(body).map_err(|e| user.fail(e))?;
    let version = super::cooperatives::take_version(&mut changes).map_err(|e| user.fail(e))?;
    let current = state.db.annual_report(id).await.map_err(|e| user.fail(e))?;
    let c = load(&state, &user, current.cooperative_id).await?;
    crate::register::check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let mut merged =
        serde_json::to_value(current.report.to_input()).map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
    if let Value::Object(m) = &mut merged {
        m.extend(changes);
    }
    let input: AnnualReportInput = serde_json::from_value(merged).map_err(|e| {
        user.fail(AppError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            e.to_string(),
        ))
    })?;
    let report = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    let record = if office {
        state.db.update_annual_report(id, &report, version, &user.actor()).await
    } else {
        state.db.repropose_annual_report(id, &report, &user.actor()).await
    }
    .map_err(|e| user.fail(e))?;
    Ok(Json(record))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewRequest {
    /// Required when returning a report: what the pengurus must fix.
    #[serde(default)]
    pub note: String,
}

async fn review(
    state: AppState,
    user: ApiUser,
    id: i64,
    body: Result<Json<ReviewRequest>, JsonRejection>,
    verify: bool,
) -> Result<Json<AnnualReportRecord>, ApiError> {
    user.require(Permission::EditReports)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let current = state.db.annual_report(id).await.map_err(|e| user.fail(e))?;
    let c = load(&state, &user, current.cooperative_id).await?;
    crate::register::check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let record = state
        .db
        .review_annual_report(id, verify, &req.note, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(record))
}

/// Verify a report a pengurus proposed: from now on it is evidence for the status.
#[utoipa::path(post, path = "/api/v1/annual-reports/{id}/verify", params(("id" = i64, Path)), request_body = ReviewRequest, security(("bearer" = [])),
    responses((status = 200, body = AnnualReportRecord), (status = 422, description = "not waiting for verification")))]
pub async fn verify(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ReviewRequest>, JsonRejection>,
) -> Result<Json<AnnualReportRecord>, ApiError> {
    review(state, user, id, body, true).await
}

/// Return a proposed report to the pengurus with a note.
#[utoipa::path(post, path = "/api/v1/annual-reports/{id}/return", params(("id" = i64, Path)), request_body = ReviewRequest, security(("bearer" = [])),
    responses((status = 200, body = AnnualReportRecord), (status = 422, description = "no note, or not waiting for verification")))]
pub async fn return_report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ReviewRequest>, JsonRejection>,
) -> Result<Json<AnnualReportRecord>, ApiError> {
    review(state, user, id, body, false).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LegalStateRequest {
    /// dissolved, in_liquidation or merged
    pub status: String,
    pub decree_number: String,
    /// YYYY-MM-DD
    pub decree_date: String,
    #[serde(default)]
    pub note: String,
}

/// Record a decree (dissolved, in liquidation, merged). Never derived, never deleted.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/legal-state", params(("id" = i64, Path)), request_body = LegalStateRequest, security(("bearer" = [])),
    responses((status = 201, body = LegalStateRow), (status = 422)))]
pub async fn set_legal_state(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<LegalStateRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<LegalStateRow>), ApiError> {
    user.require(Permission::ArchiveCooperative)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let c = load(&state, &user, id).await?;
    crate::register::check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let mut e = FieldErrors::default();
    let status = Status::parse(&req.status).filter(|s| s.is_legal());
    if status.is_none() {
        e.add("status", FieldError::ValueNotInList);
    }
    let date = parse_iso_date(&req.decree_date);
    match date {
        None => e.add("decree_date", FieldError::DateFormat),
        Some(d) if d > today() => e.add("decree_date", FieldError::DateInFuture),
        _ => {}
    }
    if !e.is_empty() {
        return Err(user.fail(AppError::Invalid(e)));
    }
    let (Some(status), Some(date)) = (status, date) else {
        unreachable!("checked above")
    };
    let row = state
        .db
        .set_legal_state(id, status, &req.decree_number, date, &req.note, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// The activation rate and its parts as of a date, in total and by kecamatan.
#[utoipa::path(get, path = "/api/v1/activation", params(AsOfParams), security(("bearer" = [])),
    responses((status = 200, body = Activation), (status = 422)))]
pub async fn activation(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<AsOfParams>, QueryRejection>,
) -> Result<Json<Activation>, ApiError> {
    user.require(Permission::ViewDashboard)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let date = as_of(&p).map_err(|e| user.fail(e))?;
    let scope = resolve_scope(&state, p.scope.as_deref())
        .await
        .map_err(|e| user.fail(e))?;
    let a = state
        .db
        .activation(date, scope, &state.office)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(a))
}

/// The activation plan with yearly milestones and the rate reached in each.
#[utoipa::path(get, path = "/api/v1/plan", security(("bearer" = [])), responses((status = 200, body = PlanResponse)))]
pub async fn get_plan(State(state): State<AppState>, user: ApiUser) -> Result<Json<PlanResponse>, ApiError> {
    user.require(Permission::ViewDashboard)?;
    let plan = state.db.plan().await.map_err(|e| user.fail(e))?;
    Ok(Json(plan_progress(&state, plan).await.map_err(|e| user.fail(e))?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PlanRequest {
    pub baseline_year: i32,
    pub target_rate: f64,
    pub horizon_years: i32,
    /// The rate in the baseline year; when absent, measured on its 31 December.
    pub baseline_rate: Option<f64>,
    /// supervised or all
    pub scope: Option<String>,
    #[serde(default)]
    pub milestones: Vec<kopra_domain::plan::Milestone>,
    /// Final targets for some kecamatan (code → rate); the others follow the city's.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub kecamatan_targets: std::collections::BTreeMap<String, f64>,
}

/// Set the plan (admin).
#[utoipa::path(put, path = "/api/v1/plan", request_body = PlanRequest, security(("bearer" = [])),
    responses((status = 200, body = PlanResponse), (status = 403), (status = 422)))]
pub async fn put_plan(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<PlanRequest>, JsonRejection>,
) -> Result<Json<PlanResponse>, ApiError> {
    user.require(Permission::ManageSettings)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let scope = req.scope.clone().unwrap_or_else(|| "supervised".into());
    let plan = Plan {
        baseline_year: req.baseline_year,
        baseline_rate: req.baseline_rate,
        target_rate: req.target_rate,
        horizon_years: req.horizon_years,
        milestone_overrides: req.milestones,
        scope,
        kecamatan_targets: req.kecamatan_targets,
    };
    let saved = state
        .db
        .set_plan(&plan, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(plan_progress(&state, saved).await.map_err(|e| user.fail(e))?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttachmentList {
    pub items: Vec<kopra_db::attachments::AttachmentInfo>,
}

/// Attach a file to a report: multipart with `kind` (rat_minutes, financial_statement,
/// other) and `file` (PDF, JPEG or PNG, 10 MB at most, type checked by content).
#[utoipa::path(post, path = "/api/v1/annual-reports/{id}/attachments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 201, body = kopra_db::attachments::AttachmentInfo), (status = 422, description = "too large, wrong type, or missing")))]
pub async fn attach(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<kopra_db::attachments::AttachmentInfo>), ApiError> {
    user.require(Permission::EditReports)?;
    let form = form.map_err(|r| {
        user.fail(AppError::BadRequest(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            r.body_text(),
        ))
    })?;
    let info = crate::attachments::upload(&state, &user.user, id, form, user.ctx.ip.clone())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// A report's attachments.
#[utoipa::path(get, path = "/api/v1/annual-reports/{id}/attachments", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = AttachmentList)))]
pub async fn attachments(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AttachmentList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    let report = state.db.annual_report(id).await.map_err(|e| user.fail(e))?;
    load(&state, &user, report.cooperative_id).await?;
    let items = state.db.attachments_of(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(AttachmentList { items }))
}

/// Download an attachment.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the file"), (status = 403), (status = 404)))]
pub async fn download(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    user.require(Permission::ViewCooperative)?;
    crate::attachments::download(&state, &user.user, id)
        .await
        .map_err(|e| user.fail(e))
}

/// Every version of an annual report, newest first: who, when, which fields changed.
#[utoipa::path(get, path = "/api/v1/annual-reports/{id}/history", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = super::cooperatives::HistoryList), (status = 403), (status = 404)))]
pub async fn report_history(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<super::cooperatives::HistoryList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    let report = state.db.annual_report(id).await.map_err(|e| user.fail(e))?;
    load(&state, &user, report.cooperative_id).await?;
    let items = state.db.annual_report_history(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(super::cooperatives::HistoryList { items }))
}

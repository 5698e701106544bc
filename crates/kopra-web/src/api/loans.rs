//! `/api/v1/loans`: soft-loan applications and their pipeline (domain.md §8). The office
//! facilitates; it does not lend.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::today;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::loans::{Application, LoanFilter, LoanTotal, NewApplication};
use kopra_db::users::User;
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::loan::Stage;
use kopra_domain::{FieldError, FieldErrors, Permission, Scope};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct LoanParams {
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    /// lpdb, kur, himbara, bprs or other
    pub channel: Option<String>,
    /// prepared … repaying, or rejected
    pub stage: Option<String>,
    pub year: Option<i64>,
}

/// The list filter for this user: a pengurus sees their own cooperative's only, a
/// petugas limited to some kecamatan only those.
pub fn filter_for(user: &User, p: &LoanParams) -> Result<LoanFilter, AppError> {
    let mut errors = FieldErrors::default();
    if p.channel
        .as_deref()
        .is_some_and(|c| !c.is_empty() && kopra_domain::loan::Channel::from_code(c).is_none())
    {
        errors.add("channel", FieldError::ValueNotInList);
    }
    if p.stage
        .as_deref()
        .is_some_and(|s| !s.is_empty() && Stage::from_code(s).is_none())
    {
        errors.add("stage", FieldError::ValueNotInList);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut f = LoanFilter {
        cooperative_id: p.cooperative_id,
        umkm_id: p.umkm_id,
        channel: p.channel.clone(),
        stage: p.stage.clone(),
        year: p.year,
        kecamatan: vec![],
    };
    match user.scope() {
        Scope::All => {}
        Scope::Kecamatan(list) => f.kecamatan = list,
        Scope::Cooperative(own) => {
            f.cooperative_id = Some(own);
            f.umkm_id = None;
        }
        Scope::Nothing => return Err(AppError::Forbidden),
    }
    Ok(f)
}

/// May this user see the application?
pub fn check_application(user: &User, a: &Application) -> Result<(), AppError> {
    let ok = match user.scope() {
        Scope::All => true,
        Scope::Kecamatan(list) => list.contains(&a.kecamatan_code),
        Scope::Cooperative(own) => a.cooperative_id == Some(own),
        Scope::Nothing => false,
    };
    if ok { Ok(()) } else { Err(AppError::Forbidden) }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationList {
    pub items: Vec<Application>,
}

/// Applications, newest first.
#[utoipa::path(get, path = "/api/v1/loans", params(LoanParams), security(("bearer" = [])),
    responses((status = 200, body = ApplicationList), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<LoanParams>, QueryRejection>,
) -> Result<Json<ApplicationList>, ApiError> {
    user.require(Permission::ViewLoans)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let f = filter_for(&user.user, &p).map_err(|e| user.fail(e))?;
    let items = state.db.applications(&f).await.map_err(|e| user.fail(e))?;
    Ok(Json(ApplicationList { items }))
}

/// Records an application (stage "prepared") for a cooperative or a UMKM.
#[utoipa::path(post, path = "/api/v1/loans", request_body = NewApplication, security(("bearer" = [])),
    responses((status = 201, body = Application), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<NewApplication>, JsonRejection>,
) -> Result<(StatusCode, Json<Application>), ApiError> {
    user.require(Permission::ManageLoans)?;
    let Json(a) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    if let Some(c) = a.cooperative_id
        && let Ok(coop) = state.db.cooperative(c).await
    {
        crate::register::check_scope(&user.user, &coop).map_err(|e| user.fail(e))?;
    }
    let record = state
        .db
        .create_application(&a, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One application with its stage history.
#[utoipa::path(get, path = "/api/v1/loans/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 403), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Application>, ApiError> {
    user.require(Permission::ViewLoans)?;
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    Ok(Json(a))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StageRequest {
    /// The next stage, or `rejected` (with a reason).
    pub stage: String,
    /// YYYY-MM-DD (default today).
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// The version the move was decided on; stale → 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Moves an application one stage forward, or rejects it with a reason.
#[utoipa::path(post, path = "/api/v1/loans/{id}/stage", params(("id" = i64, Path)), request_body = StageRequest,
    security(("bearer" = [])), responses((status = 200, body = Application), (status = 409), (status = 422)))]
pub async fn move_stage(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<StageRequest>, JsonRejection>,
) -> Result<Json<Application>, ApiError> {
    user.require(Permission::ManageLoans)?;
    let Json(r) = body.map_err(|e| user.fail(super::json_rejection(e)))?;
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    let stage = Stage::from_code(r.stage.trim()).ok_or_else(|| {
        user.fail(AppError::Invalid(FieldErrors::single(
            "stage",
            FieldError::ValueNotInList,
        )))
    })?;
    let date = match r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => today(),
        Some(d) => parse_iso_date(d)
            .ok_or_else(|| user.fail(AppError::Invalid(FieldErrors::single("date", FieldError::DateFormat))))?,
    };
    if date > today() {
        return Err(user.fail(AppError::Invalid(FieldErrors::single("date", FieldError::DateInFuture))));
    }
    let moved = state
        .db
        .move_application(id, stage, date, r.reason.as_deref(), r.version, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(moved))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ArrearsRequest {
    pub in_arrears: bool,
}

/// Records whether a disbursed loan is in arrears.
#[utoipa::path(post, path = "/api/v1/loans/{id}/arrears", params(("id" = i64, Path)), request_body = ArrearsRequest,
    security(("bearer" = [])), responses((status = 200, body = Application), (status = 422)))]
pub async fn arrears(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ArrearsRequest>, JsonRejection>,
) -> Result<Json<Application>, ApiError> {
    user.require(Permission::ManageLoans)?;
    let Json(r) = body.map_err(|e| user.fail(super::json_rejection(e)))?;
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    Ok(Json(
        state
            .db
            .set_arrears(id, r.in_arrears, &user.actor())
            .await
            .map_err(|e| user.fail(e))?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TotalsList {
    pub items: Vec<LoanTotal>,
}

/// Count and amount per channel, stage and year.
#[utoipa::path(get, path = "/api/v1/loans/totals", security(("bearer" = [])), responses((status = 200, body = TotalsList)))]
pub async fn totals(State(state): State<AppState>, user: ApiUser) -> Result<Json<TotalsList>, ApiError> {
    user.require(Permission::ManageLoans)?;
    let items = state
        .db
        .loan_totals(&user.user.kecamatan)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(TotalsList { items }))
}

//! `/api/v1/cooperatives`: list, create, read, change, archive, history.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::{ListParams, check_kecamatan, check_scope, may_see_board, today};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::cooperatives::{CooperativeRecord, VersionEntry};
use kopra_domain::{CooperativeInput, FieldError, FieldErrors, Permission};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The record as the caller may see it, as a response body.
fn respond(user: &ApiUser, record: &CooperativeRecord) -> Result<Json<Value>, ApiError> {
    crate::register::record_json(&user.user, record)
        .map(Json)
        .map_err(|e| user.fail(e))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CooperativePage {
    /// Records; the board's keys only for callers who may see personal data.
    #[schema(value_type = Vec<CooperativeRecord>)]
    pub items: Vec<Value>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HistoryList {
    pub items: Vec<VersionEntry>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ArchiveRequest {
    pub reason: String,
    /// The version the archive decision was made on; stale → 409.
    pub version: Option<i64>,
}

/// List with search, filters, sorting and pagination.
#[utoipa::path(get, path = "/api/v1/cooperatives", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = CooperativePage), (status = 401), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<CooperativePage>, ApiError> {
    user.require(Permission::ViewRegister)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let req = p.parse(50).map_err(|e| user.fail(e))?;
    let page = state
        .db
        .list_cooperatives(&req.filter, &user.user.scope(), req.sort, req.page, req.per_page)
        .await
        .map_err(|e| user.fail(e))?;
    let items = page
        .items
        .iter()
        .map(|r| crate::register::record_json(&user.user, r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| user.fail(e))?;
    Ok(Json(CooperativePage {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Register a cooperative.
#[utoipa::path(post, path = "/api/v1/cooperatives", request_body = CooperativeInput, security(("bearer" = [])),
    responses((status = 201, body = CooperativeRecord), (status = 409, description = "NIK already used"), (status = 422, description = "invalid fields")))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<CooperativeInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Permission::EditCooperative)?;
    let Json(mut input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    if !user.user.role.allows(Permission::ViewPersonalData) {
        crate::register::keep_board(&mut input, None);
    }
    let fields = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let record = state
        .db
        .create_cooperative(&state.office, &fields, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, respond(&user, &record)?))
}

pub(super) async fn load(state: &AppState, user: &ApiUser, id: i64) -> Result<CooperativeRecord, ApiError> {
    let record = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
    check_scope(&user.user, &record).map_err(|e| user.fail(e))?;
    Ok(record)
}

/// One cooperative.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CooperativeRecord), (status = 403), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    let record = load(&state, &user, id).await?;
    respond(&user, &record)
}

/// Change some fields. The body holds only the fields to change (null clears one) and
/// optionally `version`: when it is not the current version the answer is 409 with the
/// current record; without it the change applies to the current version.
#[utoipa::path(patch, path = "/api/v1/cooperatives/{id}", params(("id" = i64, Path)), request_body = Object, security(("bearer" = [])),
    responses((status = 200, body = CooperativeRecord), (status = 409, description = "stale version or NIK already used"), (status = 422)))]
pub async fn patch(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    user.require(Permission::EditCooperative)?;
    let Json(body) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let mut changes = super::json_object(body).map_err(|e| user.fail(e))?;
    if !may_see_board(&user.user, id) {
        // The board stays as stored for callers who may not see it.
        for k in kopra_domain::cooperative::BOARD_FIELDS {
            changes.remove(k);
        }
    }
    let version = take_version(&mut changes).map_err(|e| user.fail(e))?;
    let current = load(&state, &user, id).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(user.fail(AppError::Stale(Box::new(current))));
    }
    let input = merged_input(&current, changes).map_err(|e| user.fail(e))?;
    let fields = input.parse(today()).map_err(|e| user.fail(AppError::Invalid(e)))?;
    check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let record = state
        .db
        .update_cooperative(
            &state.office,
            id,
            &fields,
            Some(version.unwrap_or(current.version)),
            &user.actor(),
        )
        .await
        .map_err(|e| user.fail(e))?;
    respond(&user, &record)
}

/// Removes `version` from a change body: absent or null means "the current version".
pub fn take_version(changes: &mut serde_json::Map<String, Value>) -> Result<Option<i64>, AppError> {
    match changes.remove("version") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("version", FieldError::ValueNotInList))),
    }
}

/// The current fields with the given ones laid over them (null clears a field).
pub fn merged_input(
    current: &CooperativeRecord,
    changes: serde_json::Map<String, Value>,
) -> Result<CooperativeInput, AppError> {
    let mut merged = serde_json::to_value(current.fields.to_input()).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Value::Object(m) = &mut merged {
        m.extend(changes);
    }
    serde_json::from_value(merged)
        .map_err(|e| AppError::BadRequest(StatusCode::UNPROCESSABLE_ENTITY, "invalid_json", e.to_string()))
}

/// Archive with a reason (never delete).
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/archive", params(("id" = i64, Path)), request_body = ArchiveRequest, security(("bearer" = [])),
    responses((status = 200, body = CooperativeRecord), (status = 409, description = "stale version or already archived"), (status = 422)))]
pub async fn archive(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ArchiveRequest>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    user.require(Permission::ArchiveCooperative)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    load(&state, &user, id).await?;
    let record = state
        .db
        .archive_cooperative(id, &req.reason, req.version, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    respond(&user, &record)
}

/// Every version, newest first: who, when, which fields changed from what to what.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/history", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = HistoryList), (status = 403), (status = 404)))]
pub async fn history(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<HistoryList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    load(&state, &user, id).await?;
    let items = state
        .db
        .cooperative_history(id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|mut v| {
            // The board's values are not shown to callers who may not see them.
            if !may_see_board(&user.user, id) {
                v.changes
                    .retain(|c| !kopra_domain::cooperative::is_personal_field(&c.field));
            }
            v
        })
        .collect();
    Ok(Json(HistoryList { items }))
}

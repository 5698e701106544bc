//! `/api/v1/worklist`: the activation worklist, ranked, with reasons.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::{check_kecamatan, check_scope, today};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use kopra_db::worklist::{WorklistFilter, WorklistItem};
use kopra_domain::{FieldError, FieldErrors, Permission};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorklistParams {
    pub kecamatan: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorklistPage {
    pub items: Vec<WorklistItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Inactive and no-data cooperatives, closest to activation first.
#[utoipa::path(get, path = "/api/v1/worklist", params(WorklistParams), security(("bearer" = [])),
    responses((status = 200, body = WorklistPage), (status = 403), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<WorklistParams>, QueryRejection>,
) -> Result<Json<WorklistPage>, ApiError> {
    user.require(Permission::ViewRegister)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let page = p.page.unwrap_or(1);
    let per_page = p.per_page.unwrap_or(50);
    if page < 1 || !(1..=500).contains(&per_page) {
        return Err(user.fail(AppError::Invalid(FieldErrors::single(
            if page < 1 { "page" } else { "per_page" },
            FieldError::ValueNotInList,
        ))));
    }
    let plan = state.db.plan().await.map_err(|e| user.fail(e))?;
    let filter = WorklistFilter {
        kecamatan: p.kecamatan,
        supervised_only: plan.scope == "supervised",
        assigned_to: None,
    };
    let all = state
        .db
        .worklist(&filter, &user.user.scope(), today())
        .await
        .map_err(|e| user.fail(e))?;
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .collect();
    Ok(Json(WorklistPage {
        items,
        total,
        page,
        per_page,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignRequest {
    /// A petugas or admin; null clears the assignment.
    pub user_id: Option<i64>,
}

/// Assign a cooperative on the worklist to an officer.
#[utoipa::path(post, path = "/api/v1/worklist/{id}/assign", params(("id" = i64, Path)), request_body = AssignRequest, security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 422)))]
pub async fn assign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<AssignRequest>, JsonRejection>,
) -> Result<axum::http::StatusCode, ApiError> {
    user.require(Permission::EditCooperative)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
    check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    state
        .db
        .assign_worklist(id, req.user_id, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

//! `GET /api/v1/regions?level=&parent=`: the Kemendagri reference.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use kopra_db::regions::Region;
use kopra_domain::{FieldError, FieldErrors, RegionLevel};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionParams {
    /// provinsi, kabupaten, kota, kecamatan, kelurahan or desa
    pub level: Option<String>,
    /// the enclosing region's code, e.g. 32.75
    pub parent: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegionList {
    pub items: Vec<Region>,
}

/// Regions by level and parent.
#[utoipa::path(get, path = "/api/v1/regions", params(RegionParams), security(("bearer" = [])),
    responses((status = 200, body = RegionList), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<RegionParams>, QueryRejection>,
) -> Result<Json<RegionList>, ApiError> {
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let level = match p.level.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => Some(RegionLevel::parse(l).ok_or_else(|| {
            user.fail(AppError::Invalid(FieldErrors::single(
                "level",
                FieldError::ValueNotInList,
            )))
        })?),
        None => None,
    };
    // Without level or parent: the provinces (the whole list is 91,599 rows).
    let level = if level.is_none() && p.parent.as_deref().is_none_or(str::is_empty) {
        Some(RegionLevel::Provinsi)
    } else {
        level
    };
    let items = state
        .db
        .regions(level, p.parent.as_deref().filter(|s| !s.is_empty()))
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(RegionList { items }))
}

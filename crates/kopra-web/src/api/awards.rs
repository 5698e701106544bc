//! `/api/v1/awards`: award programmes (Hari Koperasi, 12 July), jurors, nominations,
//! jurors' scores, the ranking and nomination upward (domain.md §9).

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kopra_db::awards::{CategoryRanking, Juror, NewProgramme, NominationRecord, ProgrammeRecord, ProgrammeSummary};
use kopra_domain::Permission;
use kopra_domain::award::IndicatorPoints;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProgrammeList {
    pub items: Vec<ProgrammeSummary>,
}

/// The award programmes, newest year first.
#[utoipa::path(get, path = "/api/v1/awards", security(("bearer" = [])),
    responses((status = 200, body = ProgrammeList), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<ProgrammeList>, ApiError> {
    user.require(Permission::ViewAwards)?;
    let items = state.db.programmes().await.map_err(|e| user.fail(e))?;
    Ok(Json(ProgrammeList { items }))
}

/// Opens a programme: year, name, categories; the event date defaults to 12 July of the
/// year and the criteria to the national worksheet's example (`data/awards/default.json`).
#[utoipa::path(post, path = "/api/v1/awards", request_body = NewProgramme, security(("bearer" = [])),
    responses((status = 201, body = ProgrammeRecord), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<NewProgramme>, JsonRejection>,
) -> Result<(StatusCode, Json<ProgrammeRecord>), ApiError> {
    user.require(Permission::ManageAwards)?;
    let Json(input) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let id = state
        .db
        .create_programme(&input, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    let record = state.db.programme(id).await.map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One programme: criteria, jurors, nominations with each juror's total and the average.
#[utoipa::path(get, path = "/api/v1/awards/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProgrammeRecord), (status = 403), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProgrammeRecord>, ApiError> {
    user.require(Permission::ViewAwards)?;
    Ok(Json(state.db.programme(id).await.map_err(|e| user.fail(e))?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct JurorsRequest {
    /// Office users (admin or petugas) by username; replaces the list.
    pub usernames: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JurorList {
    pub items: Vec<Juror>,
}

/// Sets a programme's jurors.
#[utoipa::path(put, path = "/api/v1/awards/{id}/jurors", params(("id" = i64, Path)), request_body = JurorsRequest,
    security(("bearer" = [])), responses((status = 200, body = JurorList), (status = 403), (status = 404), (status = 422)))]
pub async fn set_jurors(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<JurorsRequest>, JsonRejection>,
) -> Result<Json<JurorList>, ApiError> {
    user.require(Permission::ManageAwards)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let items = state
        .db
        .set_jurors(id, &req.usernames, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(JurorList { items }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NominationRequest {
    pub cooperative_id: i64,
    /// One of the programme's categories (may be left out when it has only one).
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Nominates a cooperative (not archived) in a category.
#[utoipa::path(post, path = "/api/v1/awards/{id}/nominations", params(("id" = i64, Path)), request_body = NominationRequest,
    security(("bearer" = [])), responses((status = 201, body = NominationRecord), (status = 409, description = "already nominated in the category"), (status = 422)))]
pub async fn nominate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<NominationRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<NominationRecord>), ApiError> {
    user.require(Permission::ManageAwards)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let nid = state
        .db
        .nominate(
            id,
            req.cooperative_id,
            &req.category,
            req.note.as_deref(),
            &user.actor(),
        )
        .await
        .map_err(|e| user.fail(e))?;
    let record = state.db.nomination(nid).await.map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ScoreRequest {
    /// Indicator code → the measured value (banded indicators) or points 0–100.
    pub values: BTreeMap<String, f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ScoreAnswer {
    pub nomination_id: i64,
    pub juror: String,
    /// This juror's total, 0–100, 2 decimals.
    pub total: f64,
    #[schema(value_type = Vec<Object>)]
    pub indicators: Vec<IndicatorPoints>,
    /// The average over every juror who has scored the nomination.
    pub average: Option<f64>,
}

/// Scores a nomination as a juror of its programme (a juror's new sheet replaces the old
/// one; every version is audited). Field errors name the indicator codes.
#[utoipa::path(put, path = "/api/v1/awards/nominations/{id}/score", params(("id" = i64, Path)), request_body = ScoreRequest,
    security(("bearer" = [])), responses((status = 200, body = ScoreAnswer), (status = 403, description = "not a juror of the programme"), (status = 404), (status = 422)))]
pub async fn score(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ScoreRequest>, JsonRejection>,
) -> Result<Json<ScoreAnswer>, ApiError> {
    user.require(Permission::ScoreAwards)?;
    let nomination = state.db.nomination(id).await.map_err(|e| user.fail(e))?;
    if !state
        .db
        .is_award_juror(nomination.programme_id, user.user.id)
        .await
        .map_err(|e| user.fail(e))?
    {
        return Err(user.fail(AppError::Forbidden));
    }
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let total = state
        .db
        .score_nomination(id, user.user.id, &req.values, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    let after = state.db.nomination(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(ScoreAnswer {
        nomination_id: id,
        juror: total.juror,
        total: total.total,
        indicators: total.indicators,
        average: after.average,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingParams {
    /// One category; every category when absent.
    pub category: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RankingAnswer {
    pub items: Vec<CategoryRanking>,
}

/// The ranking per category: the jurors' average, best first; equal averages share a
/// rank; nominees nobody scored come last without a rank.
#[utoipa::path(get, path = "/api/v1/awards/{id}/ranking", params(("id" = i64, Path), RankingParams), security(("bearer" = [])),
    responses((status = 200, body = RankingAnswer), (status = 404), (status = 422)))]
pub async fn ranking(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    params: Result<Query<RankingParams>, QueryRejection>,
) -> Result<Json<RankingAnswer>, ApiError> {
    user.require(Permission::ViewAwards)?;
    let Query(p) = params.map_err(|r| user.fail(super::query_rejection(r)))?;
    let items = state
        .db
        .award_ranking(id, p.category.as_deref())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(RankingAnswer { items }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UpwardRequest {
    /// `province` or `ministry`
    pub level: String,
}

/// Nominates upward, to the province or the ministry.
#[utoipa::path(post, path = "/api/v1/awards/nominations/{id}/upward", params(("id" = i64, Path)), request_body = UpwardRequest,
    security(("bearer" = [])), responses((status = 200, body = NominationRecord), (status = 403), (status = 404), (status = 422)))]
pub async fn upward(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<UpwardRequest>, JsonRejection>,
) -> Result<Json<NominationRecord>, ApiError> {
    user.require(Permission::ManageAwards)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    state
        .db
        .nominate_upward(id, &req.level, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(state.db.nomination(id).await.map_err(|e| user.fail(e))?))
}

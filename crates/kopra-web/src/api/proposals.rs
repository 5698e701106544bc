//! Proposed changes: a pengurus proposes, the office applies or rejects.

use super::cooperatives::{load, merged_input, take_version};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError};
use crate::register::{check_scope, today};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kopra_db::proposals::Proposal;
use kopra_domain::Permission;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProposalList {
    pub items: Vec<Proposal>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionRequest {
    #[serde(default)]
    pub note: String,
}

/// Propose a change to one's own cooperative (pengurus). The body holds the fields to
/// change, optionally `version` (the version seen) and `note`.
#[utoipa::path(post, path = "/api/v1/cooperatives/{id}/proposals", params(("id" = i64, Path)), request_body = Object, security(("bearer" = [])),
    responses((status = 201, body = Proposal), (status = 409, description = "stale version"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Proposal>), ApiError> {
    user.require(Permission::ProposeChange)?;
    let Json(body) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let mut changes = super::json_object(body).map_err(|e| user.fail(e))?;
    let version = take_version(&mut changes).map_err(|e| user.fail(e))?;
    let note = match changes.remove("note") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    let current = load(&state, &user, id).await?;
    if version.is_some_and(|v| v != current.version) {
        return Err(user.fail(AppError::Stale(Box::new(current))));
    }
    let fields = merged_input(&current, changes)
        .map_err(|e| user.fail(e))?
        .parse(today())
        .map_err(|e| user.fail(AppError::Invalid(e)))?;
    let proposal = state
        .db
        .propose_change(&state.office, &current, &fields, &note, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(proposal)))
}

/// A cooperative's proposals, newest first.
#[utoipa::path(get, path = "/api/v1/cooperatives/{id}/proposals", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ProposalList), (status = 403), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProposalList>, ApiError> {
    user.require(Permission::ViewCooperative)?;
    load(&state, &user, id).await?;
    let items = state.db.proposals_of(id).await.map_err(|e| user.fail(e))?;
    Ok(Json(ProposalList { items }))
}

async fn decide(
    state: AppState,
    user: ApiUser,
    id: i64,
    body: Result<Json<DecisionRequest>, JsonRejection>,
    apply: bool,
) -> Result<Json<Proposal>, ApiError> {
    user.require(Permission::ReviewProposals)?;
    let Json(req) = body.map_err(|r| user.fail(super::json_rejection(r)))?;
    let proposal = state.db.proposal(id).await.map_err(|e| user.fail(e))?;
    let record = state
        .db
        .cooperative(proposal.cooperative_id)
        .await
        .map_err(|e| user.fail(e))?;
    check_scope(&user.user, &record).map_err(|e| user.fail(e))?;
    crate::register::check_kecamatan(&user.user, &record.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let decided = state
        .db
        .decide_proposal(&state.office, id, apply, &req.note, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(decided))
}

/// Apply a pending proposal (409 when the cooperative changed since it was made).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/apply", params(("id" = i64, Path)), request_body = DecisionRequest, security(("bearer" = [])),
    responses((status = 200, body = Proposal), (status = 409), (status = 422)))]
pub async fn apply(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<DecisionRequest>, JsonRejection>,
) -> Result<Json<Proposal>, ApiError> {
    decide(state, user, id, body, true).await
}

/// Reject a pending proposal, with a note for the pengurus.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/reject", params(("id" = i64, Path)), request_body = DecisionRequest, security(("bearer" = [])),
    responses((status = 200, body = Proposal), (status = 422)))]
pub async fn reject(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<DecisionRequest>, JsonRejection>,
) -> Result<Json<Proposal>, ApiError> {
    decide(state, user, id, body, false).await
}

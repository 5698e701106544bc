//! `POST /api/v1/auth/token`: a username and password give an API token.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub token: String,
}

/// Log in and get a bearer token (failed attempts are throttled and audited).
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "wrong username or password"), (status = 429, description = "too many failed attempts")))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> Result<Json<TokenResponse>, ApiError> {
    let Json(req) = body.map_err(|r| ApiError(super::json_rejection(r), ctx.lang))?;
    let user = crate::register::login(&state, &req.username, &req.password, &ctx)
        .await
        .map_err(|e| ApiError(e, ctx.lang))?;
    let (_, token) = state
        .db
        .create_api_token(user.id, "api login", &user.actor(ctx.ip.clone()))
        .await
        .map_err(|e| ApiError(e.into(), ctx.lang))?;
    Ok(Json(TokenResponse { token }))
}

//! Who is asking: the session cookie (browser) or a bearer token (programs), the language,
//! and the one authorisation check every handler calls.

use crate::AppState;
use crate::error::{ApiError, AppError, PageError};
use crate::i18n::Lang;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use kopra_db::users::User;
use kopra_domain::Permission;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "kopra_session";
pub const LANG_COOKIE: &str = "kopra_lang";

/// The value of one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The user's language: the switch's cookie, else Indonesian. Programs calling the API may
/// ask for English with `Accept-Language: en`.
pub fn lang_of(headers: &HeaderMap, is_api: bool) -> Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)) {
        return l;
    }
    if !is_api {
        return Lang::Id;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.trim_start().to_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Id
    }
}

/// Request context every handler may want.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub ip: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(parts.uri.path(), |u| u.0.path());
        let is_api = path.starts_with("/api/");
        Ok(Ctx {
            lang: lang_of(&parts.headers, is_api),
            ip,
        })
    }
}

/// The one authorisation check: may `user` do `permission`?
pub fn authorize(user: &User, permission: Permission) -> Result<(), AppError> {
    if user.role.allows(permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A signed-in browser user.
pub struct PageUser {
    pub user: User,
    pub ctx: Ctx,
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(PageError(AppError::Unauthorized, ctx.lang));
        };
        match state.db.session_user(&secret).await {
            Ok(Some(user)) => Ok(PageUser { user, ctx }),
            Ok(None) => Err(PageError(AppError::Unauthorized, ctx.lang)),
            Err(e) => Err(PageError(e.into(), ctx.lang)),
        }
    }
}

impl PageUser {
    pub fn require(&self, p: Permission) -> Result<(), PageError> {
        authorize(&self.user, p).map_err(|e| PageError(e, self.ctx.lang))
    }
    pub fn fail(&self, e: impl Into<AppError>) -> PageError {
        PageError(e.into(), self.ctx.lang)
    }
    pub fn actor(&self) -> kopra_db::Actor {
        self.user.actor(self.ctx.ip.clone())
    }
}

/// A program (or person) calling the API with `Authorization: Bearer TOKEN`.
pub struct ApiUser {
    pub user: User,
    pub ctx: Ctx,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = bearer else {
            return Err(ApiError(AppError::Unauthorized, ctx.lang));
        };
        match state.db.token_user(token).await {
            Ok(Some(user)) => Ok(ApiUser { user, ctx }),
            Ok(None) => Err(ApiError(AppError::Unauthorized, ctx.lang)),
            Err(e) => Err(ApiError(e.into(), ctx.lang)),
        }
    }
}

impl ApiUser {
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        authorize(&self.user, p).map_err(|e| ApiError(e, self.ctx.lang))
    }
    pub fn fail(&self, e: impl Into<AppError>) -> ApiError {
        ApiError(e.into(), self.ctx.lang)
    }
    pub fn actor(&self) -> kopra_db::Actor {
        self.user.actor(self.ctx.ip.clone())
    }
}

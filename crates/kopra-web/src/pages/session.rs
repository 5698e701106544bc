//! Logging in and out, and the language switch.

use crate::AppState;
use crate::auth::{Ctx, LANG_COOKIE, SESSION_COOKIE, cookie};
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::pages::{Nav, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    nav: Option<Nav>,
    error: Option<String>,
    username: String,
}

pub async fn login_page(ctx: Ctx) -> Response {
    render(&LoginPage {
        t: Tr::new(ctx.lang),
        nav: None,
        error: None,
        username: String::new(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

fn session_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub async fn login_submit(State(state): State<AppState>, ctx: Ctx, Form(form): Form<LoginForm>) -> Response {
    let t = Tr::new(ctx.lang);
    match crate::register::login(&state, &form.username, &form.password, &ctx).await {
        Ok(user) => match state.db.create_session(user.id).await {
            Ok(secret) => {
                let max_age = kopra_db::sessions::SESSION_LIFETIME.whole_seconds();
                let home = if user.role == kopra_domain::Role::Pengurus {
                    user.cooperative_id
                        .map_or("/token".to_string(), |id| format!("/koperasi/{id}"))
                } else {
                    "/".to_string()
                };
                (
                    [(header::SET_COOKIE, session_cookie(&state, &secret, max_age))],
                    Redirect::to(&home),
                )
                    .into_response()
            }
            Err(e) => PageError(e.into(), ctx.lang).into_response(),
        },
        Err(e @ (AppError::InvalidCredentials | AppError::Throttled)) => {
            let status = e.status();
            let key = if matches!(e, AppError::Throttled) {
                "login.throttled"
            } else {
                "login.failed"
            };
            let page = LoginPage {
                t,
                nav: None,
                error: Some(t.key(key)),
                username: form.username,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => PageError(e, ctx.lang).into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.db.end_session(&secret).await;
    }
    (
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}

/// Sets the language cookie and goes back where the user was.
pub async fn switch_language(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string()))
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let c = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    ([(header::SET_COOKIE, c)], Redirect::to(&back)).into_response()
}

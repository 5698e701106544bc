//! Admin pages (audit trail, users) and every user's own API tokens.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Nav, query_string, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::audit::{AuditFilter, AuditRow};
use kopra_db::sessions::ApiTokenRow;
use kopra_db::users::{NewUser, UserRow};
use kopra_domain::{FieldError, FieldErrors, Permission, Role};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    nav: Option<Nav>,
    actor: String,
    action: String,
    rows: Vec<AuditRow>,
    total_text: String,
    prev_query: Option<String>,
    next_query: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditParams {
    actor: Option<String>,
    action: Option<String>,
    entity_type: Option<String>,
    entity_id: Option<String>,
    page: Option<i64>,
}

pub async fn audit_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<AuditParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAudit)?;
    let t = Tr::new(user.ctx.lang);
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let filter = AuditFilter {
        actor: clean(&p.actor),
        action: clean(&p.action),
        entity_type: clean(&p.entity_type),
        entity_id: clean(&p.entity_id),
    };
    let page = p.page.unwrap_or(1).max(1);
    let (rows, total) = state
        .db
        .audit_rows(&filter, page, 100)
        .await
        .map_err(|e| user.fail(e))?;
    let q = |n: i64| {
        query_string(&[
            ("actor", filter.actor.clone().unwrap_or_default()),
            ("action", filter.action.clone().unwrap_or_default()),
            ("entity_type", filter.entity_type.clone().unwrap_or_default()),
            ("entity_id", filter.entity_id.clone().unwrap_or_default()),
            ("page", n.to_string()),
        ])
    };
    Ok(render(&AuditPage {
        t,
        nav: Nav::of(&user.user),
        actor: filter.actor.clone().unwrap_or_default(),
        action: filter.action.clone().unwrap_or_default(),
        total_text: total.to_string(),
        prev_query: (page > 1).then(|| q(page - 1)),
        next_query: (page * 100 < total).then(|| q(page + 1)),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    t: Tr,
    nav: Option<Nav>,
    users: Vec<UserRow>,
    errors: Vec<String>,
    notice: Option<String>,
}

async fn users_view(
    state: &AppState,
    user: &PageUser,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let users = state.db.users().await.map_err(|e| user.fail(e))?;
    Ok((
        status,
        render(&UsersPage {
            t: Tr::new(user.ctx.lang),
            nav: Nav::of(&user.user),
            users,
            errors,
            notice,
        }),
    )
        .into_response())
}

pub async fn users_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ManageUsers)?;
    users_view(&state, &user, vec![], None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct UserForm {
    username: String,
    password: String,
    role: String,
    cooperative_id: Option<String>,
    kecamatan: Option<String>,
}

pub async fn user_create(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageUsers)?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.add("role", FieldError::ValueNotInList);
    }
    let cooperative_id = match form.cooperative_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add("cooperative_id", FieldError::ValueNotInList);
                None
            }
        },
    };
    let kecamatan: Vec<String> = form
        .kecamatan
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let result = match (role, errors.is_empty()) {
        (Some(role), true) => {
            let new = NewUser {
                username: form.username,
                password: form.password,
                role,
                cooperative_id,
                kecamatan,
            };
            state.db.create_user(&new, &user.actor()).await
        }
        _ => Err(kopra_db::DbError::Invalid(errors)),
    };
    match result {
        Ok(_) => users_view(&state, &user, vec![], Some(t.key("users.created")), StatusCode::OK).await,
        Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => {
            let msgs = t.field_errors(&e);
            users_view(&state, &user, msgs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(user.fail(e)),
    }
}

async fn set_active(state: AppState, user: PageUser, id: i64, active: bool) -> Result<Response, PageError> {
    user.require(Permission::ManageUsers)?;
    state
        .db
        .set_user_active(id, active, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to("/pengguna").into_response())
}

pub async fn user_deactivate(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_active(state, user, id, false).await
}

pub async fn user_activate(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_active(state, user, id, true).await
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    t: Tr,
    nav: Option<Nav>,
    tokens: Vec<ApiTokenRow>,
    new_secret: Option<String>,
}

async fn tokens_view(state: &AppState, user: &PageUser, new_secret: Option<String>) -> Result<Response, PageError> {
    let tokens = state.db.api_tokens(user.user.id).await.map_err(|e| user.fail(e))?;
    Ok(render(&TokensPage {
        t: Tr::new(user.ctx.lang),
        nav: Nav::of(&user.user),
        tokens,
        new_secret,
    }))
}

pub async fn tokens_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ManageOwnTokens)?;
    tokens_view(&state, &user, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn token_create(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageOwnTokens)?;
    let name: String = form.name.chars().take(100).collect();
    let (_, secret) = state
        .db
        .create_api_token(user.user.id, &name, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    tokens_view(&state, &user, Some(secret)).await
}

pub async fn token_revoke(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageOwnTokens)?;
    state
        .db
        .revoke_api_token(id, user.user.id, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to("/token").into_response())
}

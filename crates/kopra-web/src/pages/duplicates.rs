//! The duplicate review queue: candidate pairs in the register with their score and
//! evidence; merge (one survives, the other is archived as merged into it) or mark as
//! distinct (remembered, never proposed again).

use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Nav, render};
use crate::register::check_kecamatan;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::import::{DUPLICATE_MIN_SCORE, RegisterPair};
use kopra_domain::Permission;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    t: Tr,
    nav: Option<Nav>,
    pairs: Vec<RegisterPair>,
}

pub async fn page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ArchiveCooperative)?;
    let mut pairs = state
        .db
        .duplicate_pairs(DUPLICATE_MIN_SCORE)
        .await
        .map_err(|e| user.fail(e))?;
    if !user.user.kecamatan.is_empty() {
        let mut visible = Vec::new();
        for p in pairs {
            let a = state.db.cooperative(p.a_id).await.map_err(|e| user.fail(e))?;
            if check_kecamatan(&user.user, &a.fields.kecamatan_code).is_ok() {
                visible.push(p);
            }
        }
        pairs = visible;
    }
    pairs.truncate(200);
    Ok(render(&DuplicatesPage {
        t: Tr::new(user.ctx.lang),
        nav: Nav::of(&user.user),
        pairs,
    }))
}

#[derive(Deserialize)]
pub struct PairForm {
    a: i64,
    b: i64,
}

async fn both_in_scope(state: &AppState, user: &PageUser, a: i64, b: i64) -> Result<(), PageError> {
    for id in [a, b] {
        let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
        crate::register::check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
        check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    }
    Ok(())
}

pub async fn distinct(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<PairForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ArchiveCooperative)?;
    both_in_scope(&state, &user, f.a, f.b).await?;
    state
        .db
        .mark_distinct(f.a, f.b, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to("/duplikat").into_response())
}

/// `a` survives; `b` is archived as merged into it.
pub async fn merge(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<PairForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ArchiveCooperative)?;
    both_in_scope(&state, &user, f.a, f.b).await?;
    state
        .db
        .merge_cooperatives(&state.office, f.a, f.b, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/koperasi/{}", f.a)).into_response())
}

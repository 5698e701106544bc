//! The beranda: counts by kecamatan, jenis and supervision.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Nav, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::cooperative_list::{CountBy, CountRow};
use kopra_domain::{Permission, Role};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    t: Tr,
    nav: Option<Nav>,
    total: i64,
    by_kecamatan: Vec<CountRow>,
    by_jenis: Vec<CountRow>,
    by_supervision: Vec<CountRow>,
}

pub async fn page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if user.user.role == Role::Pengurus {
        let to = user.user.cooperative_id.map_or("/token".to_string(), |id| format!("/koperasi/{id}"));
        return Ok(Redirect::to(&to).into_response());
    }
    user.require(Permission::ViewDashboard)?;
    let scope = user.user.scope();
    let by_kecamatan = state.db.count_cooperatives(CountBy::Kecamatan, &scope).await.map_err(|e| user.fail(e))?;
    let by_jenis = state.db.count_cooperatives(CountBy::Jenis, &scope).await.map_err(|e| user.fail(e))?;
    let by_supervision = state.db.count_cooperatives(CountBy::Supervised, &scope).await.map_err(|e| user.fail(e))?;
    let total = by_kecamatan.iter().map(|r| r.count).sum();
    Ok(render(&DashboardPage { t: Tr::new(user.ctx.lang), nav: Nav::of(&user.user), total, by_kecamatan, by_jenis, by_supervision }))
}

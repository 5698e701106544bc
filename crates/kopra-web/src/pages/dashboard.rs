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
use kopra_domain::{HomeRegion, Permission, Role};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    t: Tr,
    nav: Option<Nav>,
    total: i64,
    /// Counts by the level below the office's region: kecamatan for a kab/kota office,
    /// kab/kota for a province, provinces for the ministry.
    by_area: Vec<CountRow>,
    area_heading: &'static str,
    area_column: &'static str,
    /// The list filter an area links to (kecamatan or kab/kota; none for provinces).
    area_filter: Option<&'static str>,
    by_jenis: Vec<CountRow>,
    by_supervision: Vec<CountRow>,
    activation_rate: String,
    activation_formula: String,
    activation_parts: String,
    map_svg: Option<String>,
    health: Vec<(String, i64)>,
}

pub async fn page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if user.user.role == Role::Pengurus {
        let to = user
            .user
            .cooperative_id
            .map_or("/token".to_string(), |id| format!("/koperasi/{id}"));
        return Ok(Redirect::to(&to).into_response());
    }
    user.require(Permission::ViewDashboard)?;
    let scope = user.user.scope();
    let (count_by, area_heading, area_column, area_filter) = match state.office.home {
        HomeRegion::KabKota(_) => (
            CountBy::Kecamatan,
            "dashboard.by_kecamatan",
            "field.kecamatan_code",
            Some("kecamatan"),
        ),
        HomeRegion::Province(_) => (
            CountBy::KabKota,
            "dashboard.by_kabkota",
            "field.kabkota_code",
            Some("kabkota"),
        ),
        HomeRegion::National => (CountBy::Provinsi, "dashboard.by_provinsi", "field.provinsi", None),
    };
    let by_area = state
        .db
        .count_cooperatives(count_by, &scope)
        .await
        .map_err(|e| user.fail(e))?;
    let by_jenis = state
        .db
        .count_cooperatives(CountBy::Jenis, &scope)
        .await
        .map_err(|e| user.fail(e))?;
    let by_supervision = state
        .db
        .count_cooperatives(CountBy::Supervised, &scope)
        .await
        .map_err(|e| user.fail(e))?;
    let total = by_area.iter().map(|r| r.count).sum();
    let t = Tr::new(user.ctx.lang);
    let scope = crate::register::resolve_scope(&state, None)
        .await
        .map_err(|e| user.fail(e))?;
    let a = state
        .db
        .activation(crate::register::today(), scope, &state.office)
        .await
        .map_err(|e| user.fail(e))?;
    let c = &a.counts;
    let n = |v: i64| v.to_string();
    Ok(render(&DashboardPage {
        nav: Nav::of(&user.user),
        total,
        by_area,
        area_heading,
        area_column,
        area_filter,
        by_jenis,
        by_supervision,
        activation_rate: kopra_report::percent(c.rate, t.lang == crate::i18n::Lang::Id),
        activation_formula: t.fill(
            "activation.formula",
            &[("active", &n(c.active)), ("registered", &n(c.registered))],
        ),
        activation_parts: t.fill(
            "activation.parts",
            &[
                ("inactive", &n(c.inactive)),
                ("candidates", &n(c.dissolution_candidate)),
                ("no_data", &n(c.no_data)),
            ],
        ),
        map_svg: super::activation::activation_map(&a, &state.office.home, &t, scope),
        health: {
            let labels: std::collections::HashMap<String, String> = kopra_db::health::regulations()
                .into_iter()
                .flat_map(|r| r.categories.into_iter().map(|c| (c.key, c.label)))
                .collect();
            state
                .db
                .health_categories()
                .await
                .map_err(|e| user.fail(e))?
                .into_iter()
                .map(|(k, n)| (labels.get(&k).cloned().unwrap_or(k), n))
                .collect()
        },
        t,
    }))
}

//! The activation worklist page, its CSV export, and assigning a petugas.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Nav, Opt, query_string, render};
use crate::register::{check_kecamatan, check_scope, today};
use crate::status_text::status_label;
use crate::worklist_text::reasons_text;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::worklist::WorklistFilter;
use kopra_domain::status::Status;
use kopra_domain::{Permission, Role};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Params {
    kecamatan: Option<String>,
    mine: Option<String>,
    page: Option<i64>,
}

pub struct Item {
    rank: usize,
    id: i64,
    name: String,
    kecamatan: String,
    status: String,
    status_key: String,
    score: i64,
    reasons: String,
    assigned: String,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    t: Tr,
    nav: Option<Nav>,
    kecamatan: Vec<Opt>,
    mine: bool,
    items: Vec<Item>,
    officers: Vec<Opt>,
    total: usize,
    query: String,
    prev_query: Option<String>,
    next_query: Option<String>,
    can_assign: bool,
}

const PER_PAGE: usize = 100;

async fn items(
    state: &AppState,
    user: &PageUser,
    p: &Params,
) -> Result<Vec<kopra_db::worklist::WorklistItem>, PageError> {
    let plan = state.db.plan().await.map_err(|e| user.fail(e))?;
    let filter = WorklistFilter {
        kecamatan: p.kecamatan.clone().filter(|k| !k.is_empty()),
        supervised_only: plan.scope == "supervised",
        assigned_to: p.mine.as_deref().filter(|m| !m.is_empty()).map(|_| user.user.id),
    };
    state
        .db
        .worklist(&filter, &user.user.scope(), today())
        .await
        .map_err(|e| user.fail(e))
}

pub async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewRegister)?;
    let t = Tr::new(user.ctx.lang);
    let all = items(&state, &user, &p).await?;
    let total = all.len();
    let page = p.page.unwrap_or(1).max(1) as usize;
    let kec: Vec<(String, String)> = state
        .db
        .kecamatan_in(&state.office.home)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let officers: Vec<(String, String)> = state
        .db
        .users()
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .filter(|u| u.active && u.role != Role::Pengurus.as_str())
        .map(|u| (u.id.to_string(), u.username))
        .collect();
    let items = all
        .into_iter()
        .enumerate()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|(i, w)| Item {
            rank: i + 1,
            id: w.cooperative_id,
            name: w.name,
            kecamatan: w.kecamatan_name.unwrap_or(w.kecamatan_code),
            status: Status::parse(&w.status)
                .map(|s| status_label(&t, s))
                .unwrap_or_default(),
            status_key: w.status,
            score: w.score,
            reasons: reasons_text(&t, &w.reasons),
            assigned: w.assigned_to.unwrap_or_else(|| t.key("worklist.unassigned")),
        })
        .collect();
    let q = |n: usize| {
        query_string(&[
            ("kecamatan", p.kecamatan.clone().unwrap_or_default()),
            ("mine", p.mine.clone().unwrap_or_default()),
            ("page", n.to_string()),
        ])
    };
    let page_view = WorklistPage {
        nav: Nav::of(&user.user),
        kecamatan: Opt::list(&t.key("list.all"), &kec, p.kecamatan.as_deref()),
        mine: p.mine.as_deref().is_some_and(|m| !m.is_empty()),
        items,
        officers: Opt::list(&t.key("worklist.unassigned"), &officers, None),
        total,
        query: query_string(&[
            ("kecamatan", p.kecamatan.clone().unwrap_or_default()),
            ("mine", p.mine.clone().unwrap_or_default()),
        ]),
        prev_query: (page > 1).then(|| q(page - 1)),
        next_query: (page * PER_PAGE < total).then(|| q(page + 1)),
        can_assign: user.user.role.allows(Permission::EditCooperative),
        t,
    };
    Ok(render(&page_view))
}

pub async fn export_csv(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    user.require(Permission::ExportRegister)?;
    let t = Tr::new(user.ctx.lang);
    let all = items(&state, &user, &p).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record([
        "rank",
        "id",
        "nik",
        "name",
        "kecamatan_code",
        "kecamatan",
        "status",
        "score",
        "reasons",
        "assigned_to",
    ]);
    for (i, item) in all.iter().enumerate() {
        let _ = w.write_record([
            (i + 1).to_string(),
            item.cooperative_id.to_string(),
            item.nik.clone().unwrap_or_default(),
            item.name.clone(),
            item.kecamatan_code.clone(),
            item.kecamatan_name.clone().unwrap_or_default(),
            item.status.clone(),
            item.score.to_string(),
            reasons_text(&t, &item.reasons),
            item.assigned_to.clone().unwrap_or_default(),
        ]);
    }
    let body = w.into_inner().unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"daftar-kerja.csv\""),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct AssignForm {
    user_id: Option<String>,
}

pub async fn assign(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditCooperative)?;
    let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
    check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    let target = form
        .user_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<i64>().ok());
    state
        .db
        .assign_worklist(id, target, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to("/daftar-kerja").into_response())
}

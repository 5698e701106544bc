//! Coaching (pembinaan) in the browser: the list of visits and trainings with the year's
//! counts per kecamatan and type, planning a visit, a visit's detail (record it, add
//! follow-ups, mark them done), the officer's agenda, and plans from the worklist.

use crate::AppState;
use crate::api::coaching::{
    AgendaParams, PlanRequest, VisitParams, agenda_for, check_subject, counts_for, load_visit, plan, visit_filter,
};
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, render};
use crate::register::{check_scope, today};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::coaching::{VisitRecord, VisitSummary};
use kopra_domain::coaching::{FollowUpInput, RecordInput, VisitInput, VisitKind, VisitType, next_working_day};
use kopra_domain::{FieldError, FieldErrors, Permission, Role};
use serde::Deserialize;
use time::Duration;

/// Field errors as sentences, with this module's field labels.
fn errors_text(t: &Tr, e: &FieldErrors) -> Vec<String> {
    e.iter()
        .map(|(f, c)| {
            format!(
                "{} {}",
                t.key(&format!("coaching.field.{f}")),
                t.key(&format!("error.{}", c.code()))
            )
        })
        .collect()
}

/// A visit as a row of a table.
pub struct VisitRow {
    pub id: i64,
    pub date: String,
    pub held: bool,
    pub state: String,
    pub kind: String,
    pub visit_type: String,
    pub subject: String,
    pub subject_link: Option<String>,
    pub officer: String,
    pub kecamatan: String,
    pub title: String,
    pub open_follow_ups: i64,
}

pub fn visit_row(t: &Tr, v: &VisitSummary) -> VisitRow {
    let held = v.held_on.is_some();
    VisitRow {
        id: v.id,
        date: v.date().to_string(),
        held,
        state: t.key(if held {
            "coaching.state.held"
        } else {
            "coaching.state.planned"
        }),
        kind: t.key(&format!("coaching.kind.{}", v.kind)),
        visit_type: t.key(&format!("coaching.type.{}", v.visit_type)),
        subject: v
            .subject()
            .map(String::from)
            .unwrap_or_else(|| t.key("coaching.general")),
        subject_link: v
            .cooperative_id
            .map(|c| format!("/koperasi/{c}"))
            .or_else(|| v.umkm_id.map(|u| format!("/umkm/{u}"))),
        officer: v.officer_name.clone(),
        kecamatan: v
            .kecamatan_name
            .clone()
            .or_else(|| v.kecamatan_code.clone())
            .unwrap_or_default(),
        title: v.title.clone(),
        open_follow_ups: v.open_follow_ups,
    }
}

fn type_options(t: &Tr) -> Vec<(String, String)> {
    VisitType::ALL
        .iter()
        .map(|v| (v.as_str().to_string(), t.key(&format!("coaching.type.{}", v.as_str()))))
        .collect()
}

fn kind_options(t: &Tr) -> Vec<(String, String)> {
    VisitKind::ALL
        .iter()
        .map(|v| (v.as_str().to_string(), t.key(&format!("coaching.kind.{}", v.as_str()))))
        .collect()
}

/// The office's officers (active, not pengurus): `(id, username)`.
async fn officers(state: &AppState, user: &PageUser) -> Result<Vec<(String, String)>, PageError> {
    Ok(state
        .db
        .users()
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .filter(|u| u.active && Role::parse(&u.role).is_some_and(|r| r != Role::Pengurus))
        .map(|u| (u.id.to_string(), u.username))
        .collect())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    koperasi: String,
    #[serde(default)]
    petugas: String,
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    tahun: String,
}

struct CountRow {
    kecamatan: String,
    cells: Vec<i64>,
    total: i64,
}

#[derive(Template)]
#[template(path = "coaching/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    q: ListQuery,
    rows: Vec<VisitRow>,
    errors: Vec<String>,
    officers: Vec<(String, String)>,
    types: Vec<(String, String)>,
    counts_title: String,
    counts: Vec<CountRow>,
    totals: Vec<i64>,
    total: i64,
    can_manage: bool,
}

pub async fn list_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewCoaching)?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let number = |s: &str, field: &'static str, errors: &mut FieldErrors| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let n = s.parse().ok();
        if n.is_none() {
            errors.add(field, FieldError::NumberFormat);
        }
        n
    };
    let params = VisitParams {
        cooperative_id: number(&q.koperasi, "cooperative_id", &mut errors),
        umkm_id: None,
        officer: number(&q.petugas, "officer_user_id", &mut errors),
        from: Some(q.dari.clone()),
        to: Some(q.sampai.clone()),
    };
    let year = number(&q.tahun, "year", &mut errors).and_then(|y| i32::try_from(y).ok());
    let mut status = StatusCode::OK;
    let rows = if errors.is_empty() {
        match visit_filter(&state, &user.user, &params).await {
            Ok(f) => state
                .db
                .visits(&f)
                .await
                .map_err(|e| user.fail(e))?
                .iter()
                .map(|v| visit_row(&t, v))
                .collect(),
            Err(AppError::Invalid(e)) => {
                errors = e;
                vec![]
            }
            Err(e) => return Err(user.fail(e)),
        }
    } else {
        vec![]
    };
    if !errors.is_empty() {
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let counts = match counts_for(&state, &user.user, year).await {
        Ok(c) => c,
        Err(AppError::Invalid(e)) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            for (f, c) in e.iter() {
                errors.add(f, c);
            }
            counts_for(&state, &user.user, None).await.map_err(|e| user.fail(e))?
        }
        Err(e) => return Err(user.fail(e)),
    };
    // The matrix: one row per kecamatan, one column per type.
    let mut matrix: Vec<CountRow> = Vec::new();
    let mut keys: Vec<Option<String>> = Vec::new();
    for c in &counts.items {
        let col = VisitType::ALL
            .iter()
            .position(|v| v.as_str() == c.visit_type)
            .unwrap_or(0);
        let i = match keys.iter().position(|k| *k == c.kecamatan_code) {
            Some(i) => i,
            None => {
                keys.push(c.kecamatan_code.clone());
                matrix.push(CountRow {
                    kecamatan: c
                        .kecamatan_name
                        .clone()
                        .or_else(|| c.kecamatan_code.clone())
                        .unwrap_or_else(|| t.key("coaching.no_kecamatan")),
                    cells: vec![0; VisitType::ALL.len()],
                    total: 0,
                });
                matrix.len() - 1
            }
        };
        matrix[i].cells[col] += c.total;
        matrix[i].total += c.total;
    }
    let totals: Vec<i64> = (0..VisitType::ALL.len())
        .map(|j| matrix.iter().map(|r| r.cells[j]).sum())
        .collect();
    let page = ListPage {
        counts_title: t.fill("coaching.counts", &[("year", &counts.year.to_string())]),
        total: totals.iter().sum(),
        totals,
        counts: matrix,
        rows,
        errors: errors_text(&t, &errors),
        officers: if user.user.role.allows(Permission::ManageCoaching) {
            officers(&state, &user).await?
        } else {
            vec![]
        },
        types: type_options(&t),
        can_manage: user.user.role.allows(Permission::ManageCoaching),
        q,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct VisitForm {
    #[serde(default)]
    cooperative_id: String,
    #[serde(default)]
    umkm_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    visit_type: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    officer_user_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    participants: String,
}

#[derive(Template)]
#[template(path = "coaching/new.html")]
struct NewPage {
    t: Tr,
    nav: Option<Nav>,
    form: VisitForm,
    cooperative_name: Option<String>,
    kinds: Vec<(String, String)>,
    types: Vec<(String, String)>,
    officers: Vec<(String, String)>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    koperasi: String,
}

async fn new_view(
    state: &AppState,
    user: &PageUser,
    form: VisitForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let cooperative_name = match form.cooperative_id.trim().parse::<i64>() {
        Ok(id) => state.db.cooperative(id).await.ok().map(|c| c.fields.name),
        Err(_) => None,
    };
    let page = NewPage {
        cooperative_name,
        kinds: kind_options(&t),
        types: type_options(&t),
        officers: officers(state, user).await?,
        errors,
        form,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    let mut form = VisitForm {
        kind: VisitKind::Visit.as_str().into(),
        planned_on: next_working_day(today() + Duration::days(1)).to_string(),
        officer_user_id: user.user.id.to_string(),
        ..Default::default()
    };
    if let Ok(id) = q.koperasi.trim().parse::<i64>() {
        let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
        check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
        form.cooperative_id = id.to_string();
    }
    new_view(&state, &user, form, vec![], StatusCode::OK).await
}

fn optional_number(s: &str, field: &'static str, errors: &mut FieldErrors) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let n = s.parse().ok();
    if n.is_none() {
        errors.add(field, FieldError::NumberFormat);
    }
    n
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<VisitForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let input = VisitInput {
        cooperative_id: optional_number(&form.cooperative_id, "cooperative_id", &mut errors),
        umkm_id: optional_number(&form.umkm_id, "umkm_id", &mut errors),
        kind: Some(form.kind.clone()),
        visit_type: Some(form.visit_type.clone()),
        planned_on: Some(form.planned_on.clone()),
        officer_user_id: optional_number(&form.officer_user_id, "officer_user_id", &mut errors),
        title: Some(form.title.clone()),
        participants: optional_number(&form.participants, "participants", &mut errors),
    };
    check_subject(&state, &user.user, &input)
        .await
        .map_err(|e| user.fail(e))?;
    let visit = match input.validate() {
        Ok(v) if errors.is_empty() => v,
        Ok(_) => {
            return new_view(
                &state,
                &user,
                form,
                errors_text(&t, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => {
            for (f, c) in e.iter() {
                errors.add(f, c);
            }
            return new_view(
                &state,
                &user,
                form,
                errors_text(&t, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.db.plan_visit(&visit, input.officer_user_id, &user.actor()).await {
        Ok(id) => Ok(Redirect::to(&format!("/pembinaan/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            new_view(
                &state,
                &user,
                form,
                errors_text(&t, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

struct FollowUpRow {
    id: i64,
    action: String,
    due_on: String,
    status: String,
    open: bool,
    overdue: bool,
    done_on: String,
}

#[derive(Template)]
#[template(path = "coaching/show.html")]
struct ShowPage {
    t: Tr,
    nav: Option<Nav>,
    v: VisitRecord,
    row: VisitRow,
    source: String,
    follow_ups: Vec<FollowUpRow>,
    can_manage: bool,
    today: String,
    errors: Vec<String>,
    findings: String,
    held_on: String,
}

async fn show_view(
    state: &AppState,
    user: &PageUser,
    id: i64,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let v = load_visit(state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let follow_ups = v
        .follow_ups
        .iter()
        .map(|f| FollowUpRow {
            id: f.id,
            action: f.action.clone(),
            due_on: f.due_on.to_string(),
            status: t.key(&format!("coaching.status.{}", f.status.as_str())),
            open: f.status == kopra_domain::coaching::FollowUpStatus::Open,
            overdue: f.overdue,
            done_on: f.done_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let page = ShowPage {
        row: visit_row(&t, &v.visit),
        source: t.key(&format!("coaching.source.{}", v.visit.source)),
        follow_ups,
        can_manage: user.user.role.allows(Permission::ManageCoaching),
        today: today().to_string(),
        errors,
        findings: v.visit.findings.clone().unwrap_or_default(),
        held_on: v.visit.held_on.map(|d| d.to_string()).unwrap_or_default(),
        v,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn show_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewCoaching)?;
    show_view(&state, &user, id, vec![], StatusCode::OK).await
}

#[derive(Deserialize, Default)]
pub struct RecordForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    participants: String,
}

pub async fn record_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<RecordForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    load_visit(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let participants = optional_number(&form.participants, "participants", &mut errors);
    let input = RecordInput {
        held_on: Some(form.held_on),
        findings: Some(form.findings),
        participants,
    };
    match input.validate(today()) {
        Ok((held_on, findings, participants)) if errors.is_empty() => {
            state
                .db
                .record_visit(id, held_on, findings.as_deref(), participants, &user.actor())
                .await
                .map_err(|e| user.fail(e))?;
            Ok(Redirect::to(&format!("/pembinaan/{id}")).into_response())
        }
        result => {
            if let Err(e) = result {
                for (f, c) in e.iter() {
                    errors.add(f, c);
                }
            }
            show_view(
                &state,
                &user,
                id,
                errors_text(&t, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct FollowUpForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    due_on: String,
}

pub async fn follow_up_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    load_visit(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let t = Tr::new(user.ctx.lang);
    let input = FollowUpInput {
        action: Some(form.action),
        due_on: Some(form.due_on),
    };
    match input.validate() {
        Ok((action, due_on)) => {
            state
                .db
                .add_follow_up(id, &action, due_on, &user.actor())
                .await
                .map_err(|e| user.fail(e))?;
            Ok(Redirect::to(&format!("/pembinaan/{id}")).into_response())
        }
        Err(e) => show_view(&state, &user, id, errors_text(&t, &e), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    /// Where to go back to: `agenda`, else the visit.
    #[serde(default)]
    back: String,
}

pub async fn follow_up_status_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(fid): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    let f = state.db.follow_up(fid, today()).await.map_err(|e| user.fail(e))?;
    load_visit(&state, &user.user, f.visit_id)
        .await
        .map_err(|e| user.fail(e))?;
    state
        .db
        .set_follow_up_status(fid, &form.status, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(if form.back == "agenda" {
        Redirect::to("/pembinaan/agenda")
    } else {
        Redirect::to(&format!("/pembinaan/{}", f.visit_id))
    }
    .into_response())
}

struct AgendaFollowUpRow {
    id: i64,
    visit_id: i64,
    action: String,
    due_on: String,
    overdue: bool,
    subject: String,
    visit_title: String,
}

#[derive(Template)]
#[template(path = "coaching/agenda.html")]
struct AgendaPage {
    t: Tr,
    nav: Option<Nav>,
    period: String,
    visits: Vec<VisitRow>,
    follow_ups: Vec<AgendaFollowUpRow>,
    overdue: usize,
    notice: Option<String>,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct AgendaQuery {
    #[serde(default)]
    dibuat: Option<usize>,
}

pub async fn agenda_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<AgendaQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewCoaching)?;
    let t = Tr::new(user.ctx.lang);
    let agenda = agenda_for(&state, &user.user, &AgendaParams::default())
        .await
        .map_err(|e| user.fail(e))?;
    let follow_ups: Vec<AgendaFollowUpRow> = agenda
        .follow_ups
        .iter()
        .map(|f| AgendaFollowUpRow {
            id: f.follow_up.id,
            visit_id: f.follow_up.visit_id,
            action: f.follow_up.action.clone(),
            due_on: f.follow_up.due_on.to_string(),
            overdue: f.follow_up.overdue,
            subject: f.subject.clone().unwrap_or_else(|| t.key("coaching.general")),
            visit_title: f.visit_title.clone(),
        })
        .collect();
    Ok(render(&AgendaPage {
        period: t.fill(
            "coaching.agenda_period",
            &[("from", &agenda.from.to_string()), ("to", &agenda.to.to_string())],
        ),
        visits: agenda.visits.iter().map(|v| visit_row(&t, v)).collect(),
        overdue: follow_ups.iter().filter(|f| f.overdue).count(),
        follow_ups,
        notice: q.dibuat.map(|n| t.fill("coaching.planned_n", &[("n", &n.to_string())])),
        can_manage: user.user.role.allows(Permission::ManageCoaching),
        nav: Nav::of(&user.user),
        t,
    })
    .into_response())
}

/// Plans visits from the worklist for the current officer, from the next working day.
pub async fn plan_submit(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ManageCoaching)?;
    let result = plan(&state, &user.user, &PlanRequest::default(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/pembinaan/agenda?dibuat={}", result.created.len())).into_response())
}

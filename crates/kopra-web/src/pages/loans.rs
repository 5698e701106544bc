//! The soft-loan pipeline in the browser: a board with a column per stage, totals by
//! channel, stage and year, a form to record an application, and each application's
//! page to move it on (or reject it, with a reason).

use crate::AppState;
use crate::api::loans::{LoanParams, check_application, filter_for};
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, render};
use crate::register::today;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::loans::{Application, NewApplication};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::format::rupiah;
use kopra_domain::loan::{Channel, Stage};
use kopra_domain::{FieldError, FieldErrors, Permission};
use serde::Deserialize;

struct Card {
    id: i64,
    applicant: String,
    channel: String,
    amount: String,
    since: String,
}

struct Column {
    stage: String,
    label: String,
    cards: Vec<Card>,
    total: String,
}

struct TotalRow {
    year: i64,
    channel: String,
    stage: String,
    count: i64,
    amount: String,
}

#[derive(Template)]
#[template(path = "loans/board.html")]
struct BoardPage {
    t: Tr,
    nav: Option<Nav>,
    columns: Vec<Column>,
    totals: Vec<TotalRow>,
    channels: Vec<(String, String)>,
    can_manage: bool,
    form: NewForm,
    errors: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    cooperative_id: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    tenor_months: String,
    #[serde(default)]
    purpose: String,
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    koperasi: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    year: Option<String>,
}

async fn board(
    state: &AppState,
    user: &PageUser,
    q: &BoardQuery,
    form: NewForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let lang = user.ctx.lang.code();
    let params = LoanParams {
        channel: q.channel.clone().filter(|c| !c.is_empty()),
        year: q.year.as_deref().and_then(|y| y.trim().parse().ok()),
        ..Default::default()
    };
    let f = filter_for(&user.user, &params).map_err(|e| user.fail(e))?;
    let apps = state.db.applications(&f).await.map_err(|e| user.fail(e))?;
    let columns = Stage::ALL
        .iter()
        .map(|s| {
            let here: Vec<&Application> = apps.iter().filter(|a| a.stage == *s).collect();
            Column {
                stage: s.as_str().to_string(),
                label: s.label(lang).to_string(),
                total: rupiah(here.iter().map(|a| a.amount).sum()),
                cards: here
                    .iter()
                    .map(|a| Card {
                        id: a.id,
                        applicant: a.applicant.clone(),
                        channel: a.channel.label(lang).to_string(),
                        amount: rupiah(a.amount),
                        since: a.stage_on.to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let can_manage = user.user.role.allows(Permission::ManageLoans);
    let totals = if can_manage {
        state
            .db
            .loan_totals(&user.user.kecamatan)
            .await
            .map_err(|e| user.fail(e))?
            .into_iter()
            .map(|r| TotalRow {
                year: r.applied_year,
                channel: Channel::from_code(&r.channel)
                    .map(|c| c.label(lang).to_string())
                    .unwrap_or(r.channel),
                stage: Stage::from_code(&r.stage)
                    .map(|s| s.label(lang).to_string())
                    .unwrap_or(r.stage),
                count: r.applications,
                amount: rupiah(r.amount),
            })
            .collect()
    } else {
        vec![]
    };
    let mut form = form;
    if form.cooperative_id.is_empty() {
        form.cooperative_id = q.koperasi.clone().unwrap_or_default();
    }
    let page = BoardPage {
        columns,
        totals,
        channels: Channel::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label(lang).to_string()))
            .collect(),
        can_manage,
        form,
        errors,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn board_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewLoans)?;
    board(&state, &user, &q, NewForm::default(), vec![], StatusCode::OK).await
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<NewForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageLoans)?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let cooperative_id: Option<i64> = form.cooperative_id.trim().parse().ok();
    if cooperative_id.is_none() {
        errors.add("cooperative_id", FieldError::Required);
    }
    let amount = crate::pages::reports::parse_whole_number(&form.amount);
    if amount.is_none() {
        errors.add("amount", FieldError::NumberFormat);
    }
    let rate = match form.rate.trim() {
        "" => None,
        r => match r.replace(',', ".").parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.add("rate", FieldError::NumberFormat);
                None
            }
        },
    };
    let tenor = match form.tenor_months.trim() {
        "" => None,
        r => match r.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.add("tenor_months", FieldError::NumberFormat);
                None
            }
        },
    };
    if !errors.is_empty() {
        return board(
            &state,
            &user,
            &BoardQuery::default(),
            form,
            t.field_errors(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Ok(c) = state.db.cooperative(cooperative_id.unwrap_or_default()).await {
        crate::register::check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    }
    let new = NewApplication {
        cooperative_id,
        umkm_id: None,
        channel: form.channel.clone(),
        amount: amount.unwrap_or_default(),
        rate,
        tenor_months: tenor,
        purpose: Some(form.purpose.clone()),
    };
    match state.db.create_application(&new, today(), &user.actor()).await {
        Ok(a) => Ok(Redirect::to(&format!("/pinjaman/{}", a.id)).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            board(
                &state,
                &user,
                &BoardQuery::default(),
                form,
                t.field_errors(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

struct EventRow {
    stage: String,
    on: String,
    note: String,
    by: String,
}

#[derive(Template)]
#[template(path = "loans/show.html")]
struct ShowPage {
    t: Tr,
    nav: Option<Nav>,
    a: Application,
    channel: String,
    stage: String,
    amount: String,
    events: Vec<EventRow>,
    next: Option<(String, String)>,
    can_reject: bool,
    can_manage: bool,
    arrears_applies: bool,
    today: String,
    errors: Vec<String>,
}

async fn show(
    state: &AppState,
    user: &PageUser,
    id: i64,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let lang = user.ctx.lang.code();
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    let page = ShowPage {
        channel: a.channel.label(lang).to_string(),
        stage: a.stage.label(lang).to_string(),
        amount: rupiah(a.amount),
        events: a
            .events
            .iter()
            .map(|e| EventRow {
                stage: Stage::from_code(&e.stage)
                    .map(|s| s.label(lang).to_string())
                    .unwrap_or_else(|| e.stage.clone()),
                on: e.on_date.to_string(),
                note: e.note.clone().unwrap_or_default(),
                by: e.actor_name.clone(),
            })
            .collect(),
        next: a
            .stage
            .next()
            .map(|n| (n.as_str().to_string(), n.label(lang).to_string())),
        can_reject: a.stage.can_be_rejected(),
        can_manage: user.user.role.allows(Permission::ManageLoans),
        arrears_applies: matches!(a.stage, Stage::Disbursed | Stage::Repaying),
        today: today().to_string(),
        errors,
        a,
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
    user.require(Permission::ViewLoans)?;
    show(&state, &user, id, vec![], StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct MoveForm {
    stage: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: Option<i64>,
}

pub async fn move_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageLoans)?;
    let t = Tr::new(user.ctx.lang);
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    let mut errors = FieldErrors::default();
    let stage = Stage::from_code(f.stage.trim());
    if stage.is_none() {
        errors.add("stage", FieldError::ValueNotInList);
    }
    let date = match f.date.trim() {
        "" => Some(today()),
        d => parse_iso_date(d),
    };
    match date {
        None => errors.add("date", FieldError::DateFormat),
        Some(d) if d > today() => errors.add("date", FieldError::DateInFuture),
        _ => {}
    }
    if !errors.is_empty() {
        return show(
            &state,
            &user,
            id,
            t.field_errors(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .db
        .move_application(
            id,
            stage.expect("checked"),
            date.expect("checked"),
            Some(f.reason.as_str()),
            f.version,
            &user.actor(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/pinjaman/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            show(&state, &user, id, t.field_errors(&e), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(user.fail(e)),
    }
}

#[derive(Deserialize)]
pub struct ArrearsForm {
    #[serde(default)]
    in_arrears: String,
}

pub async fn arrears_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ArrearsForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageLoans)?;
    let a = state.db.application(id).await.map_err(|e| user.fail(e))?;
    check_application(&user.user, &a).map_err(|e| user.fail(e))?;
    match state.db.set_arrears(id, f.in_arrears == "true", &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/pinjaman/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(_)) => Err(user.fail(AppError::Invalid(FieldErrors::single(
            "in_arrears",
            FieldError::ValueNotInList,
        )))),
        Err(e) => Err(user.fail(e)),
    }
}

//! Awards in the browser (Hari Koperasi, 12 July): the programmes, a programme's jurors,
//! nominations, totals and ranking, a juror's scoring sheet, and the printable certificate.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::pages::{Nav, render};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::DbError;
use kopra_db::awards::{CooperativeHit, NewProgramme, NominationRecord, ProgrammeRecord, ProgrammeSummary};
use kopra_domain::award::{AwardCriteria, IndicatorKind};
use kopra_domain::format::{date_en, date_id};
use kopra_domain::{FieldError, FieldErrors, Permission, Role};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A score with two decimals, in the reader's way of writing decimals.
pub fn score_text(v: f64, lang: Lang) -> String {
    let s = format!("{v:.2}");
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}

fn opt_score(v: Option<f64>, lang: Lang) -> String {
    v.map(|v| score_text(v, lang)).unwrap_or_else(|| "–".into())
}

fn date_text(d: time::Date, lang: Lang) -> String {
    match lang {
        Lang::Id => date_id(d),
        Lang::En => date_en(d),
    }
}

use crate::pages::form_value as field;

// ---------------------------------------------------------------- the programme list

#[derive(Template)]
#[template(path = "awards/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<(ProgrammeSummary, String, String)>,
    can_manage: bool,
    errors: Vec<String>,
    year: String,
    name: String,
    categories: String,
}

async fn list_view(
    state: &AppState,
    user: &PageUser,
    form: &[(String, String)],
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let rows = state
        .db
        .programmes()
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|p| {
            let date = date_text(p.event_date, user.ctx.lang);
            let status = t.key(&format!("award.status.{}", p.status));
            (p, date, status)
        })
        .collect();
    let next_year = crate::register::today().year() + 1;
    let page = ListPage {
        rows,
        can_manage: user.user.role.allows(Permission::ManageAwards),
        errors,
        year: Some(field(form, "year"))
            .filter(|y| !y.is_empty())
            .unwrap_or_else(|| next_year.to_string()),
        name: field(form, "name"),
        categories: field(form, "categories"),
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn list_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ViewAwards)?;
    list_view(&state, &user, &[], vec![], StatusCode::OK).await
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAwards)?;
    let t = Tr::new(user.ctx.lang);
    let Ok(year) = field(&pairs, "year").parse::<i32>() else {
        let e = FieldErrors::single("year", FieldError::NumberFormat);
        return list_view(
            &state,
            &user,
            &pairs,
            t.field_errors(&e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = NewProgramme {
        year,
        name: field(&pairs, "name"),
        event_date: None,
        categories: field(&pairs, "categories").split(',').map(String::from).collect(),
        criteria: None,
    };
    match state.db.create_programme(&input, &user.actor()).await {
        Ok(id) => Ok(Redirect::to(&format!("/penghargaan/{id}")).into_response()),
        Err(DbError::Invalid(e)) => {
            list_view(
                &state,
                &user,
                &pairs,
                t.field_errors(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

// ---------------------------------------------------------------- one programme

struct NominationRow {
    n: NominationRecord,
    /// One cell per juror of the programme, in the jurors' order.
    totals: Vec<String>,
    average: String,
    upward: String,
}

struct RankRow {
    rank: String,
    nomination_id: i64,
    cooperative_id: i64,
    name: String,
    average: String,
    jurors: usize,
    upward: String,
    can_upward: bool,
}

struct CategoryBlock {
    category: String,
    rows: Vec<RankRow>,
}

struct JurorChoice {
    username: String,
    role: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "awards/show.html")]
struct ShowPage {
    t: Tr,
    nav: Option<Nav>,
    p: ProgrammeRecord,
    event_date: String,
    status: String,
    nominations: Vec<NominationRow>,
    ranking: Vec<CategoryBlock>,
    can_manage: bool,
    is_juror: bool,
    choices: Vec<JurorChoice>,
    candidates: Vec<CooperativeHit>,
    errors: Vec<String>,
    notice: Option<String>,
    cooperative: String,
    category: String,
    note: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

fn upward_text(t: &Tr, level: Option<&str>) -> String {
    level.map(|l| t.key(&format!("award.upward.{l}"))).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn show_view(
    state: &AppState,
    user: &PageUser,
    id: i64,
    form: &[(String, String)],
    candidates: Vec<CooperativeHit>,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let lang = user.ctx.lang;
    let p = state.db.programme(id).await.map_err(|e| user.fail(e))?;
    let can_manage = user.user.role.allows(Permission::ManageAwards);
    let is_juror = user.user.role.allows(Permission::ScoreAwards) && p.jurors.iter().any(|j| j.user_id == user.user.id);
    let nominations = p
        .nominations
        .iter()
        .map(|n| NominationRow {
            totals: p
                .jurors
                .iter()
                .map(|j| {
                    opt_score(
                        n.scores.iter().find(|s| s.juror_user_id == j.user_id).map(|s| s.total),
                        lang,
                    )
                })
                .collect(),
            average: opt_score(n.average, lang),
            upward: upward_text(&t, n.upward_level.as_deref()),
            n: n.clone(),
        })
        .collect();
    let ranking = state
        .db
        .award_ranking(id, None)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|c| CategoryBlock {
            category: c.category,
            rows: c
                .items
                .into_iter()
                .map(|r| RankRow {
                    rank: r.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()),
                    nomination_id: r.nomination_id,
                    cooperative_id: r.cooperative_id,
                    name: r.cooperative_name,
                    average: opt_score(r.average, lang),
                    jurors: r.jurors,
                    upward: upward_text(&t, r.upward_level.as_deref()),
                    can_upward: can_manage && r.rank.is_some(),
                })
                .collect(),
        })
        .collect();
    let choices = if can_manage {
        state
            .db
            .users()
            .await
            .map_err(|e| user.fail(e))?
            .into_iter()
            .filter(|u| u.active && Role::parse(&u.role).is_some_and(|r| r.allows(Permission::ScoreAwards)))
            .map(|u| JurorChoice {
                checked: p.jurors.iter().any(|j| j.user_id == u.id),
                role: t.key(&format!("role.{}", u.role)),
                username: u.username,
            })
            .collect()
    } else {
        vec![]
    };
    let page = ShowPage {
        event_date: date_text(p.event_date, lang),
        status: t.key(&format!("award.status.{}", p.status)),
        nominations,
        ranking,
        can_manage,
        is_juror,
        choices,
        candidates,
        errors,
        notice,
        cooperative: field(form, "cooperative"),
        category: field(form, "category"),
        note: field(form, "note"),
        p,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn show_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAwards)?;
    let t = Tr::new(user.ctx.lang);
    let notice = match q.done.as_deref() {
        Some("jurors") => Some(t.key("award.jurors_saved")),
        Some("nominated") => Some(t.key("award.nominated")),
        Some("upward") => Some(t.key("award.upward_saved")),
        _ => None,
    };
    show_view(&state, &user, id, &[], vec![], vec![], notice, StatusCode::OK).await
}

pub async fn jurors_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAwards)?;
    let t = Tr::new(user.ctx.lang);
    let usernames: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "juror")
        .map(|(_, v)| v.clone())
        .collect();
    match state.db.set_jurors(id, &usernames, &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/penghargaan/{id}?done=jurors")).into_response()),
        Err(DbError::Invalid(e)) => {
            show_view(
                &state,
                &user,
                id,
                &[],
                vec![],
                t.field_errors(&e),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

/// Nominates a cooperative given by id, or by (part of) its name: one match is
/// nominated, several are offered to choose from.
pub async fn nominate_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAwards)?;
    let t = Tr::new(user.ctx.lang);
    let text = field(&pairs, "cooperative");
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let cooperative_id = match text.parse::<i64>() {
        Ok(n) => n,
        Err(_) if text.chars().count() < 3 => {
            let e = FieldErrors::single("cooperative", FieldError::TooShort);
            return show_view(
                &state,
                &user,
                id,
                &pairs,
                vec![],
                t.field_errors(&e),
                None,
                unprocessable,
            )
            .await;
        }
        Err(_) => {
            let hits = state
                .db
                .find_cooperatives_by_name(&text, 20)
                .await
                .map_err(|e| user.fail(e))?;
            match hits.len() {
                0 => {
                    let errors = vec![t.fill("award.no_match", &[("q", &text)])];
                    return show_view(&state, &user, id, &pairs, vec![], errors, None, unprocessable).await;
                }
                1 => hits[0].id,
                _ => {
                    let notice = Some(t.fill("award.choose_match", &[("q", &text)]));
                    return show_view(&state, &user, id, &pairs, hits, vec![], notice, StatusCode::OK).await;
                }
            }
        }
    };
    let note = field(&pairs, "note");
    match state
        .db
        .nominate(
            id,
            cooperative_id,
            &field(&pairs, "category"),
            Some(&note),
            &user.actor(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/penghargaan/{id}?done=nominated")).into_response()),
        Err(DbError::Invalid(e) | DbError::Duplicate(e)) => {
            show_view(
                &state,
                &user,
                id,
                &pairs,
                vec![],
                t.field_errors(&e),
                None,
                unprocessable,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

pub async fn upward_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAwards)?;
    let n = state.db.nomination(id).await.map_err(|e| user.fail(e))?;
    state
        .db
        .nominate_upward(id, &field(&pairs, "level"), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/penghargaan/{}?done=upward", n.programme_id)).into_response())
}

// ---------------------------------------------------------------- the scoring sheet

struct IndicatorInput {
    code: String,
    label: String,
    weight: String,
    help: String,
    value: String,
    error: Option<String>,
}

struct AspectBlock {
    label: String,
    indicators: Vec<IndicatorInput>,
}

#[derive(Template)]
#[template(path = "awards/sheet.html")]
struct SheetPage {
    t: Tr,
    nav: Option<Nav>,
    p: ProgrammeRecord,
    n: NominationRecord,
    title: String,
    aspects: Vec<AspectBlock>,
    errors: Vec<String>,
    total: Option<String>,
    average: String,
}

/// How an indicator is scored, in words: its unit and bands, or points 0–100.
fn indicator_help(t: &Tr, kind: &IndicatorKind, lang: Lang) -> String {
    match kind {
        IndicatorKind::Points => t.key("award.help.points"),
        IndicatorKind::Bands { unit, bands, otherwise } => {
            let num = |v: f64| {
                let s = format!("{v}");
                if lang == Lang::Id { s.replace('.', ",") } else { s }
            };
            let unit_label = unit.label(lang.code()).to_string();
            let mut parts: Vec<String> = bands
                .iter()
                .map(|b| t.fill("award.help.band", &[("min", &num(b.min)), ("points", &num(b.points))]))
                .collect();
            parts.push(t.fill("award.help.otherwise", &[("points", &num(*otherwise))]));
            t.fill(
                "award.help.bands",
                &[("unit", &unit_label), ("bands", &parts.join("; "))],
            )
        }
    }
}

fn sheet_aspects(
    t: &Tr,
    criteria: &AwardCriteria,
    lang: Lang,
    values: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
) -> Vec<AspectBlock> {
    let en = lang == Lang::En;
    criteria
        .aspects
        .iter()
        .map(|a| AspectBlock {
            label: if en { a.label_en.clone() } else { a.label_id.clone() },
            indicators: a
                .indicators
                .iter()
                .map(|i| IndicatorInput {
                    code: i.code.clone(),
                    label: if en { i.label_en.clone() } else { i.label_id.clone() },
                    weight: format!("{}", i.weight),
                    help: indicator_help(t, &i.kind, lang),
                    value: values.get(&i.code).cloned().unwrap_or_default(),
                    error: errors.get(&i.code).cloned(),
                })
                .collect(),
        })
        .collect()
}

/// The nomination and its programme, for a listed juror only (403 otherwise).
async fn juror_nomination(
    state: &AppState,
    user: &PageUser,
    id: i64,
) -> Result<(ProgrammeRecord, NominationRecord), PageError> {
    user.require(Permission::ScoreAwards)?;
    let n = state.db.nomination(id).await.map_err(|e| user.fail(e))?;
    let p = state.db.programme(n.programme_id).await.map_err(|e| user.fail(e))?;
    if !p.jurors.iter().any(|j| j.user_id == user.user.id) {
        return Err(user.fail(AppError::Forbidden));
    }
    Ok((p, n))
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn sheet_view(
    user: &PageUser,
    p: ProgrammeRecord,
    n: NominationRecord,
    values: BTreeMap<String, String>,
    field_errors: BTreeMap<String, String>,
    errors: Vec<String>,
    total: Option<String>,
    status: StatusCode,
) -> Response {
    let t = Tr::new(user.ctx.lang);
    let page = SheetPage {
        title: t.fill("award.sheet_title", &[("name", &n.cooperative_name)]),
        aspects: sheet_aspects(&t, &p.criteria, user.ctx.lang, &values, &field_errors),
        errors,
        total,
        average: opt_score(n.average, user.ctx.lang),
        p,
        n,
        nav: Nav::of(&user.user),
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn sheet_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let (p, n) = juror_nomination(&state, &user, id).await?;
    let mine = n.scores.iter().find(|s| s.juror_user_id == user.user.id);
    let values: BTreeMap<String, String> = mine
        .map(|s| s.values.iter().map(|(k, v)| (k.clone(), format!("{v}"))).collect())
        .unwrap_or_default();
    let total = mine
        .filter(|_| q.saved.is_some())
        .map(|s| score_text(s.total, user.ctx.lang));
    Ok(sheet_view(
        &user,
        p,
        n,
        values,
        BTreeMap::new(),
        vec![],
        total,
        StatusCode::OK,
    ))
}

pub async fn sheet_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (p, n) = juror_nomination(&state, &user, id).await?;
    let t = Tr::new(user.ctx.lang);
    let mut entered: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeMap<String, f64> = BTreeMap::new();
    let mut field_errors: BTreeMap<String, String> = BTreeMap::new();
    for i in p.criteria.indicators() {
        let raw = field(&pairs, &i.code);
        entered.insert(i.code.clone(), raw.clone());
        if raw.is_empty() {
            field_errors.insert(i.code.clone(), t.key("error.required"));
            continue;
        }
        match raw.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => {
                values.insert(i.code.clone(), v);
            }
            _ => {
                field_errors.insert(i.code.clone(), t.key("error.number_format"));
            }
        }
    }
    if field_errors.is_empty() {
        match state
            .db
            .score_nomination(id, user.user.id, &values, &user.actor())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/penghargaan/nominasi/{id}/nilai?saved=1")).into_response()),
            Err(DbError::Invalid(e)) => {
                for (code, err) in e.iter() {
                    let text = if p.criteria.indicators().any(|i| i.code == code) && err == FieldError::NumberFormat {
                        t.key("award.out_of_range")
                    } else {
                        t.key(&format!("error.{}", err.code()))
                    };
                    field_errors.insert(code.to_string(), text);
                }
            }
            Err(e) => return Err(user.fail(e)),
        }
    }
    let en = user.ctx.lang == Lang::En;
    let errors = p
        .criteria
        .indicators()
        .filter_map(|i| {
            field_errors
                .get(&i.code)
                .map(|e| format!("{}: {e}", if en { &i.label_en } else { &i.label_id }))
        })
        .collect();
    Ok(sheet_view(
        &user,
        p,
        n,
        entered,
        field_errors,
        errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

// ---------------------------------------------------------------- the certificate

#[derive(Template)]
#[template(path = "awards/certificate.html")]
struct CertificatePage {
    t: Tr,
    p: ProgrammeRecord,
    n: NominationRecord,
    rank: String,
    average: String,
    place_date: String,
}

pub async fn certificate(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAwards)?;
    let t = Tr::new(user.ctx.lang);
    let n = state.db.nomination(id).await.map_err(|e| user.fail(e))?;
    let p = state.db.programme(n.programme_id).await.map_err(|e| user.fail(e))?;
    let ranking = state
        .db
        .award_ranking(p.id, Some(&n.category))
        .await
        .map_err(|e| user.fail(e))?;
    let rank = ranking
        .iter()
        .flat_map(|c| c.items.iter())
        .find(|r| r.nomination_id == id)
        .and_then(|r| r.rank)
        .map(|r| r.to_string())
        .unwrap_or_else(|| "–".into());
    let place_date = t.fill("award.place_date", &[("date", &date_text(p.event_date, user.ctx.lang))]);
    Ok(render(&CertificatePage {
        rank,
        average: opt_score(n.average, user.ctx.lang),
        place_date,
        p,
        n,
        t,
    }))
}

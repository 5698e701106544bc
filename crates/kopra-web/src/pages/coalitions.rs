//! Strengthening in the browser: a cooperative's UMKM matches (form a coalition from them,
//! or dismiss one), coalitions with their members, transactions and savings, and a
//! cooperative's loan readiness.

use crate::AppState;
use crate::api::strengthening::{load_coalition, readiness_answer, readiness_channel, reason_text};
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
use kopra_db::coalitions::{CoalitionRecord, CoalitionSummary, NewCoalition, TransactionRecord};
use kopra_db::cooperatives::CooperativeRecord;
use kopra_domain::coalition::{Purpose, TransactionInput, TransactionKind};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::format::rupiah;
use kopra_domain::loan::Channel;
use kopra_domain::{FieldError, FieldErrors, Permission, Scope};
use serde::Deserialize;

async fn cooperative_in_scope(state: &AppState, user: &PageUser, id: i64) -> Result<CooperativeRecord, PageError> {
    let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
    check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    Ok(c)
}

struct MatchRow {
    umkm_id: i64,
    name: String,
    score: u32,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "coalitions/matches.html")]
struct MatchesPage {
    t: Tr,
    nav: Option<Nav>,
    c: CooperativeRecord,
    title: String,
    weak: Option<String>,
    rows: Vec<MatchRow>,
    coalitions: Vec<CoalitionSummary>,
    purposes: Vec<(String, String)>,
    errors: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn matches_view(
    state: &AppState,
    user: &PageUser,
    id: i64,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let c = cooperative_in_scope(state, user, id).await?;
    let proposals = state.db.cooperative_matches(id, 30).await.map_err(|e| user.fail(e))?;
    let weak = match c.status.as_str() {
        "inactive" | "no_data" | "dissolution_candidate" => {
            Some(t.fill("matches.weak", &[("why", &t.key(&format!("status.{}", c.status)))]))
        }
        _ => None,
    };
    let rows = proposals
        .into_iter()
        .map(|p| MatchRow {
            umkm_id: p.umkm_id,
            name: p.umkm_name,
            score: p.score,
            reasons: p.reasons.iter().map(|r| reason_text(r, user.ctx.lang)).collect(),
        })
        .collect();
    let coalitions = state.db.coalitions(Some(id), &[]).await.map_err(|e| user.fail(e))?;
    let page = MatchesPage {
        title: t.fill("matches.title", &[("name", &c.fields.name)]),
        weak,
        rows,
        coalitions,
        purposes: Purpose::ALL
            .iter()
            .map(|p| {
                (
                    p.as_str().to_string(),
                    t.key(&format!("coalition.purpose.{}", p.as_str())),
                )
            })
            .collect(),
        errors,
        notice,
        c,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn matches_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoalitions)?;
    let t = Tr::new(user.ctx.lang);
    let notice = q.done.as_deref().map(|d| match d {
        "dismissed" => t.key("matches.dismissed"),
        _ => String::new(),
    });
    matches_view(
        &state,
        &user,
        id,
        vec![],
        notice.filter(|n| !n.is_empty()),
        StatusCode::OK,
    )
    .await
}

/// The selected UMKM and the other fields of a form with repeated `umkm` fields.
fn split_form(pairs: &[(String, String)]) -> (Vec<i64>, impl Fn(&str) -> String + '_) {
    let ids = pairs
        .iter()
        .filter(|(k, _)| k == "umkm")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    (ids, move |name: &str| crate::pages::form_value(pairs, name))
}

/// Forms a coalition around this cooperative from the selected proposals.
pub async fn form_coalition(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoalitions)?;
    cooperative_in_scope(&state, &user, id).await?;
    let t = Tr::new(user.ctx.lang);
    let (umkm_ids, get) = split_form(&pairs);
    if umkm_ids.is_empty() {
        return matches_view(
            &state,
            &user,
            id,
            vec![t.key("coalition.choose_members")],
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let agreement_date = match get("agreement_date").as_str() {
        "" => None,
        d => match parse_iso_date(d) {
            Some(d) => Some(d),
            None => {
                let e = FieldErrors::single("agreement_date", FieldError::DateFormat);
                return matches_view(
                    &state,
                    &user,
                    id,
                    t.field_errors(&e),
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let input = NewCoalition {
        anchor_cooperative_id: id,
        name: get("name"),
        purpose: get("purpose"),
        umkm_ids,
        commodities: kopra_domain::umkm::parse_tags(&get("commodities")),
        agreement_date,
        agreement_document: Some(get("agreement_document")).filter(|d| !d.is_empty()),
        ..Default::default()
    };
    match state.db.create_coalition(&input, today(), &user.actor()).await {
        Ok(cid) => Ok(Redirect::to(&format!("/koalisi/{cid}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            matches_view(
                &state,
                &user,
                id,
                t.field_errors(&e),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

/// Adds the selected proposals to one of this cooperative's coalitions.
pub async fn extend_coalition(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoalitions)?;
    cooperative_in_scope(&state, &user, id).await?;
    let t = Tr::new(user.ctx.lang);
    let (umkm_ids, get) = split_form(&pairs);
    let coalition: i64 = get("coalition_id").parse().unwrap_or(0);
    let c = load_coalition(&state, &user.user, coalition)
        .await
        .map_err(|e| user.fail(e))?;
    if c.anchor_cooperative_id != id {
        return Err(user.fail(AppError::NotFound));
    }
    if umkm_ids.is_empty() {
        return matches_view(
            &state,
            &user,
            id,
            vec![t.key("coalition.choose_members")],
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    state
        .db
        .add_coalition_members(coalition, &umkm_ids, today(), &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/koalisi/{coalition}")).into_response())
}

pub async fn dismiss(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, umkm_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoalitions)?;
    cooperative_in_scope(&state, &user, id).await?;
    state
        .db
        .dismiss_match(id, umkm_id, None, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/koperasi/{id}/mitra?done=dismissed")).into_response())
}

struct SummaryRow {
    s: CoalitionSummary,
    purpose: String,
    status: String,
    savings: String,
    volume: String,
}

#[derive(Template)]
#[template(path = "coalitions/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<SummaryRow>,
}

pub async fn list_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ViewCoalitions)?;
    let t = Tr::new(user.ctx.lang);
    let items = match user.user.scope() {
        Scope::All => state.db.coalitions(None, &[]).await,
        Scope::Kecamatan(list) => state.db.coalitions(None, &list).await,
        Scope::Cooperative(id) => state.db.coalitions(Some(id), &[]).await,
        Scope::Nothing => Ok(vec![]),
    }
    .map_err(|e| user.fail(e))?;
    let rows = items
        .into_iter()
        .map(|s| SummaryRow {
            purpose: t.key(&format!("coalition.purpose.{}", s.purpose)),
            status: t.key(&format!("coalition.status.{}", s.status)),
            savings: rupiah(s.savings),
            volume: rupiah(s.purchases_value + s.sales_value),
            s,
        })
        .collect();
    Ok(render(&ListPage {
        t,
        nav: Nav::of(&user.user),
        rows,
    }))
}

struct TransactionRow {
    date: String,
    kind: String,
    goods: String,
    quantity: String,
    value: String,
    individual: String,
    saving: String,
}

#[derive(Template)]
#[template(path = "coalitions/show.html")]
struct ShowPage {
    t: Tr,
    nav: Option<Nav>,
    c: CoalitionRecord,
    purpose: String,
    status: String,
    savings: String,
    purchases: String,
    sales: String,
    transactions: Vec<TransactionRow>,
    months: Vec<(String, String, String, String)>,
    kinds: Vec<(String, String)>,
    can_record: bool,
    today: String,
    errors: Vec<String>,
    form: TransactionForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct TransactionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    goods: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    individual_value: String,
}

fn transaction_row(t: &Tr, x: &TransactionRecord) -> TransactionRow {
    TransactionRow {
        date: x.date.to_string(),
        kind: t.key(&format!("coalition.kind.{}", x.kind.as_str())),
        goods: x.goods.clone(),
        quantity: format!("{} {}", x.quantity, x.unit),
        value: rupiah(x.value),
        individual: x.individual_value.map(rupiah).unwrap_or_default(),
        saving: x.saving.map(rupiah).unwrap_or_default(),
    }
}

async fn show_view(
    state: &AppState,
    user: &PageUser,
    id: i64,
    form: TransactionForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let c = load_coalition(state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let records = state.db.coalition_transactions(id).await.map_err(|e| user.fail(e))?;
    let transactions = records.iter().map(|x| transaction_row(&t, x)).collect();
    // Outcomes over time: what went through the coalition each month, and what it saved.
    let domain: Vec<_> = records.iter().map(TransactionRecord::transaction).collect();
    let months = kopra_domain::coalition::outcomes_by_month(&domain)
        .into_iter()
        .map(|m| {
            (
                format!("{}-{:02}", m.year, m.month),
                rupiah(m.purchases_value),
                rupiah(m.sales_value),
                rupiah(m.savings),
            )
        })
        .collect();
    let page = ShowPage {
        purpose: t.key(&format!("coalition.purpose.{}", c.purpose.as_str())),
        status: t.key(&format!("coalition.status.{}", c.status.as_str())),
        savings: rupiah(c.savings),
        purchases: rupiah(c.purchases_value),
        sales: rupiah(c.sales_value),
        kinds: TransactionKind::ALL
            .iter()
            .filter(|k| c.purpose.allows(**k))
            .map(|k| (k.as_str().to_string(), t.key(&format!("coalition.kind.{}", k.as_str()))))
            .collect(),
        transactions,
        months,
        can_record: user.user.role.allows(Permission::ManageCoalitions),
        today: today().to_string(),
        errors,
        form,
        c,
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
    user.require(Permission::ViewCoalitions)?;
    show_view(&state, &user, id, TransactionForm::default(), vec![], StatusCode::OK).await
}

pub async fn record_transaction(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<TransactionForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCoalitions)?;
    load_coalition(&state, &user.user, id).await.map_err(|e| user.fail(e))?;
    let t = Tr::new(user.ctx.lang);
    let mut errors = FieldErrors::default();
    let kind = TransactionKind::from_code(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", FieldError::ValueNotInList);
    }
    let date = parse_iso_date(&form.date);
    if date.is_none() {
        errors.add("date", FieldError::DateFormat);
    }
    let quantity: Option<f64> = form.quantity.trim().replace(',', ".").parse().ok();
    if quantity.is_none() {
        errors.add("quantity", FieldError::NumberFormat);
    }
    let value = crate::pages::reports::parse_whole_number(&form.value);
    if value.is_none() {
        errors.add("value", FieldError::NumberFormat);
    }
    let individual =
        crate::pages::reports::optional_whole_number(&form.individual_value, "individual_value", &mut errors);
    if !errors.is_empty() {
        return show_view(
            &state,
            &user,
            id,
            form,
            t.field_errors(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let input = TransactionInput {
        kind: kind.expect("checked"),
        date: date.expect("checked"),
        goods: form.goods.clone(),
        quantity: quantity.expect("checked"),
        unit: if form.unit.trim().is_empty() {
            "unit".into()
        } else {
            form.unit.clone()
        },
        value: value.expect("checked"),
        individual_value: individual,
        member_ids: vec![],
    };
    match state.db.add_transaction(id, &input, today(), &user.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("/koalisi/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            show_view(
                &state,
                &user,
                id,
                form,
                t.field_errors(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "coalitions/readiness.html")]
struct ReadinessPage {
    t: Tr,
    nav: Option<Nav>,
    c: CooperativeRecord,
    title: String,
    channels: Vec<(String, String, bool)>,
    answer: crate::api::strengthening::ReadinessAnswer,
    summary: String,
}

#[derive(Deserialize, Default)]
pub struct ChannelQuery {
    #[serde(default)]
    channel: Option<String>,
}

pub async fn readiness_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ChannelQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewCooperative)?;
    let t = Tr::new(user.ctx.lang);
    let c = cooperative_in_scope(&state, &user, id).await?;
    let channel = readiness_channel(q.channel.as_deref()).map_err(|e| user.fail(e))?;
    let readiness = state
        .db
        .loan_readiness(id, channel, today())
        .await
        .map_err(|e| user.fail(e))?
        .ok_or_else(|| user.fail(AppError::NotFound))?;
    let answer = readiness_answer(&readiness, user.ctx.lang);
    let missing = answer.criteria.iter().filter(|c| !c.met).count();
    let summary = if answer.ready {
        t.key("loan.ready")
    } else {
        t.fill("loan.not_ready", &[("n", &missing.to_string())])
    };
    Ok(render(&ReadinessPage {
        title: t.fill("loan.title", &[("name", &c.fields.name)]),
        channels: [Channel::Lpdb, Channel::Kur, Channel::Himbara, Channel::Bprs]
            .iter()
            .map(|ch| {
                (
                    ch.as_str().to_string(),
                    ch.label(user.ctx.lang.code()).to_string(),
                    *ch == channel,
                )
            })
            .collect(),
        answer,
        summary,
        c,
        nav: Nav::of(&user.user),
        t,
    }))
}

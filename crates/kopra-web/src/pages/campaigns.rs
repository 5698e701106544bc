//! Re-registration campaigns: the office opens one and prints letters with one-time codes;
//! a cooperative's pengurus answers on a phone without an account; the office reviews.

use crate::AppState;
use crate::auth::{Ctx, PageUser};
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, Opt, render};
use crate::register::today;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::campaigns::{Campaign, SubmissionReport};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::{FieldChange, FieldErrors, Permission};
use serde::Deserialize;
use std::collections::HashMap;

fn require(user: &PageUser) -> Result<(), PageError> {
    user.require(Permission::ImportData)?;
    if !user.user.kecamatan.is_empty() {
        return Err(user.fail(AppError::Forbidden));
    }
    Ok(())
}

/// Reviewing answers and recording outcomes: any officer who imports, an officer limited
/// to some kecamatan for those kecamatan only.
fn require_review(user: &PageUser) -> Result<(), PageError> {
    user.require(Permission::ImportData)
}

/// The invitation's cooperative must lie in the officer's kecamatan.
async fn check_invitation(state: &AppState, user: &PageUser, campaign: i64, inv: i64) -> Result<(), PageError> {
    if user.user.kecamatan.is_empty() {
        return Ok(());
    }
    let invitations = state.db.invitations(campaign).await.map_err(|e| user.fail(e))?;
    match invitations.iter().find(|(i, _, _)| i.id == inv) {
        Some((_, _, kec)) if user.user.kecamatan.contains(kec) => Ok(()),
        Some(_) => Err(user.fail(AppError::Forbidden)),
        None => Err(user.fail(AppError::NotFound)),
    }
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    campaigns: Vec<Campaign>,
    kecamatan: Vec<Opt>,
    error: Option<String>,
    can_open: bool,
}

async fn list_with(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let campaigns = state.db.campaigns().await.map_err(|e| user.fail(e))?;
    let kec: Vec<(String, String)> = state
        .db
        .kecamatan_in(&state.office.home)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    Ok((
        status,
        render(&ListPage {
            kecamatan: Opt::list(&t.key("list.all"), &kec, None),
            can_open: user.user.kecamatan.is_empty(),
            t,
            nav: Nav::of(&user.user),
            campaigns,
            error,
        }),
    )
        .into_response())
}

pub async fn list(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    require_review(&user)?;
    list_with(&state, &user, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
    starts_on: String,
    ends_on: String,
    kecamatan: Option<String>,
    all: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    require(&user)?;
    let t = Tr::new(user.ctx.lang);
    let (Some(from), Some(to)) = (parse_iso_date(&f.starts_on), parse_iso_date(&f.ends_on)) else {
        return list_with(
            &state,
            &user,
            Some(t.field_error("starts_on", "date_format")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let kec = f.kecamatan.as_deref().filter(|k| !k.is_empty());
    match state
        .db
        .create_campaign(&f.name, from, to, f.all.is_none(), kec, &user.actor())
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/kampanye/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            let msg = t.field_errors(&e).join(" ");
            list_with(&state, &user, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(user.fail(e)),
    }
}

struct PendingView {
    invitation: i64,
    cooperative_id: i64,
    name: String,
    changes: Vec<String>,
    report: String,
    stopped: bool,
    note: String,
}

struct KecView {
    name: String,
    invited: i64,
    opened: i64,
    submitted: i64,
    approved: i64,
    returned: i64,
    not_reached: i64,
    not_found: i64,
}

struct InvitationView {
    id: i64,
    cooperative_id: i64,
    name: String,
    kecamatan: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "campaigns/show.html")]
struct ShowPage {
    t: Tr,
    nav: Option<Nav>,
    c: Campaign,
    by_kecamatan: Vec<KecView>,
    pending: Vec<PendingView>,
    invitations: Vec<InvitationView>,
    /// The review queue's kecamatan filter.
    kecamatan: Vec<Opt>,
    can_print: bool,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    kecamatan: Option<String>,
}

/// The fields of the answer form that come from the register, in form order: contacts,
/// then the board (which the pengurus confirms or corrects).
const ANSWER_FIELDS: [&str; 9] = [
    "address",
    "phone",
    "email",
    "chair_name",
    "chair_phone",
    "secretary_name",
    "treasurer_name",
    "supervisor_name",
    "manager_name",
];

/// A register field's value by its form name.
fn answer_value(f: &kopra_domain::CooperativeFields, name: &str) -> String {
    let v = match name {
        "address" => &f.address,
        "phone" => &f.phone,
        "email" => &f.email,
        "chair_name" => &f.chair_name,
        "chair_phone" => &f.chair_phone,
        "secretary_name" => &f.secretary_name,
        "treasurer_name" => &f.treasurer_name,
        "supervisor_name" => &f.supervisor_name,
        "manager_name" => &f.manager_name,
        _ => &None,
    };
    v.clone().unwrap_or_default()
}

fn change_text(t: &Tr, ch: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        t.key(&format!("field.{}", ch.field)),
        ch.from.clone().unwrap_or_else(|| t.key("detail.empty")),
        ch.to.clone().unwrap_or_else(|| t.key("detail.empty"))
    )
}

pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    require_review(&user)?;
    // Which kecamatan the queue shows: the chosen one, within the officer's own.
    let chosen = q.kecamatan.clone().filter(|k| !k.is_empty());
    let limited = &user.user.kecamatan;
    if let Some(k) = &chosen
        && !limited.is_empty()
        && !limited.contains(k)
    {
        return Err(user.fail(AppError::Forbidden));
    }
    let shown = |kec: &str| {
        chosen.as_deref().is_none_or(|c| c == kec) && (limited.is_empty() || limited.iter().any(|l| l == kec))
    };
    let t = Tr::new(user.ctx.lang);
    let c = state.db.campaign(id).await.map_err(|e| user.fail(e))?;
    let names: HashMap<String, String> = state
        .db
        .kecamatan_in(&state.office.home)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let by_kecamatan = state
        .db
        .campaign_counts(id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .filter(|(k, _)| limited.is_empty() || limited.contains(k))
        .map(|(k, n)| KecView {
            name: names.get(&k).cloned().unwrap_or(k),
            invited: n.invited,
            opened: n.opened,
            submitted: n.submitted,
            approved: n.approved,
            returned: n.returned,
            not_reached: n.not_reached,
            not_found: n.not_found,
        })
        .collect();
    let invitations = state.db.invitations(id).await.map_err(|e| user.fail(e))?;
    let mut pending = Vec::new();
    for (inv, name, _) in invitations
        .iter()
        .filter(|(i, _, kec)| i.outcome == "submitted" && shown(kec))
    {
        if let Some(s) = state
            .db
            .latest_submission(inv.id)
            .await
            .map_err(|e| user.fail(e))?
            .filter(|s| s.status == "pending")
        {
            let changes: Vec<FieldChange> = serde_json::from_str(&s.changes).unwrap_or_default();
            let r: SubmissionReport = s
                .report
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or_default();
            let report = match r.rat_date {
                Some(d) => {
                    let mut text = format!(
                        "{}: {d}; {}: {} / {}",
                        t.key("field.rat_date"),
                        t.key("field.members_total"),
                        r.members_male.map(|v| v.to_string()).unwrap_or_default(),
                        r.members_female.map(|v| v.to_string()).unwrap_or_default()
                    );
                    // The office is told when approving will correct a report on record.
                    let book_year = d.year() - 1;
                    let existing = state
                        .db
                        .annual_reports(inv.cooperative_id)
                        .await
                        .map_err(|e| user.fail(e))?
                        .into_iter()
                        .find(|e| e.report.book_year == book_year);
                    if let Some(e) = existing {
                        let rat = e.report.rat_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                        text.push_str(". ");
                        text.push_str(&t.fill(
                            "campaign.report_exists",
                            &[("year", &book_year.to_string()), ("rat", &rat)],
                        ));
                    }
                    text
                }
                None => String::new(),
            };
            pending.push(PendingView {
                invitation: inv.id,
                cooperative_id: inv.cooperative_id,
                name: name.clone(),
                changes: crate::register::mask_changes(
                    &user.user,
                    inv.cooperative_id,
                    changes,
                    &t.key("detail.personal_data"),
                )
                .iter()
                .map(|ch| change_text(&t, ch))
                .collect(),
                report,
                stopped: s.stopped,
                note: s.note.unwrap_or_default(),
            });
        }
    }
    let options: Vec<(String, String)> = names
        .iter()
        .filter(|(code, _)| limited.is_empty() || limited.contains(code))
        .map(|(code, name)| (code.clone(), name.clone()))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let kecamatan = Opt::list(&t.key("list.all"), &options, chosen.as_deref());
    let invitations = invitations
        .into_iter()
        .filter(|(_, _, kec)| shown(kec))
        .map(|(i, name, kec)| InvitationView {
            id: i.id,
            cooperative_id: i.cooperative_id,
            name,
            kecamatan: names.get(&kec).cloned().unwrap_or(kec),
            outcome: t.key(&format!("campaign.outcome.{}", i.outcome)),
        })
        .collect();
    Ok(render(&ShowPage {
        t,
        nav: Nav::of(&user.user),
        c,
        by_kecamatan,
        pending,
        invitations,
        kecamatan,
        can_print: user.user.kecamatan.is_empty(),
    }))
}

struct Letter {
    name: String,
    address: String,
    code: String,
    link: String,
    qr_svg: String,
}

#[derive(Template)]
#[template(path = "campaigns/letters.html")]
struct LettersPage {
    t: Tr,
    nav: Option<Nav>,
    c: Campaign,
    letters: Vec<Letter>,
}

/// Printable letters, one per page: the code, the link and a QR code.
pub async fn letters(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    require(&user)?;
    let c = state.db.campaign(id).await.map_err(|e| user.fail(e))?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.secure_cookies { "https" } else { "http" };
    let mut letters = Vec::new();
    for (inv, name, _) in state.db.invitations(id).await.map_err(|e| user.fail(e))? {
        let coop = state
            .db
            .cooperative(inv.cooperative_id)
            .await
            .map_err(|e| user.fail(e))?;
        let link = format!("{scheme}://{host}/u/{}", inv.code);
        let qr_svg = qrcode::QrCode::new(link.as_bytes())
            .map(|q| {
                q.render::<qrcode::render::svg::Color>()
                    .min_dimensions(140, 140)
                    .build()
            })
            .unwrap_or_default();
        letters.push(Letter {
            name,
            address: coop.fields.address.unwrap_or_default(),
            code: inv.code,
            link,
            qr_svg,
        });
    }
    Ok(render(&LettersPage {
        t: Tr::new(user.ctx.lang),
        nav: Nav::of(&user.user),
        c,
        letters,
    }))
}

#[derive(Deserialize)]
pub struct ReviewForm {
    note: Option<String>,
    outcome: Option<String>,
}

async fn review(
    state: AppState,
    user: PageUser,
    id: i64,
    inv: i64,
    approve: bool,
    f: ReviewForm,
) -> Result<Response, PageError> {
    require_review(&user)?;
    check_invitation(&state, &user, id, inv).await?;
    let t = Tr::new(user.ctx.lang);
    match state
        .db
        .review_submission(
            &state.office,
            inv,
            approve,
            f.note.as_deref().unwrap_or(""),
            &user.actor(),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/kampanye/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            let msg = t.field_errors(&e).join(" ");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, msg).into_response())
        }
        Err(e) => Err(user.fail(e)),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, inv)): Path<(i64, i64)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, PageError> {
    review(state, user, id, inv, true, f).await
}

pub async fn send_back(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, inv)): Path<(i64, i64)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, PageError> {
    review(state, user, id, inv, false, f).await
}

pub async fn outcome(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, inv)): Path<(i64, i64)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, PageError> {
    require_review(&user)?;
    check_invitation(&state, &user, id, inv).await?;
    state
        .db
        .set_invitation_outcome(
            inv,
            f.outcome.as_deref().unwrap_or(""),
            f.note.as_deref().unwrap_or(""),
            &user.actor(),
        )
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/kampanye/{id}")).into_response())
}

// ---------------------------------------------------------------- the pengurus's side

#[derive(Template)]
#[template(path = "campaigns/answer.html")]
struct AnswerPage {
    t: Tr,
    nav: Option<Nav>,
    code: String,
    name: String,
    values: HashMap<String, String>,
    returned_note: Option<String>,
    done: bool,
    errors: Vec<String>,
}

async fn answer_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(ctx.lang);
    let inv = state
        .db
        .invitation_by_code(code)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?;
    let c = state
        .db
        .cooperative(inv.cooperative_id)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?;
    let latest = state
        .db
        .latest_submission(inv.id)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?;
    let returned_note = latest
        .as_ref()
        .filter(|s| s.status == "returned")
        .and_then(|s| s.review_note.clone());
    let members = state
        .db
        .annual_reports(c.id)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?
        .into_iter()
        .next();
    // The code's holder is the cooperative's own pengurus: they see and confirm its board.
    let mut values: HashMap<String, String> = ANSWER_FIELDS
        .iter()
        .map(|k| (k.to_string(), answer_value(&c.fields, k)))
        .collect();
    values.extend([
        (
            "members_male".to_string(),
            members
                .as_ref()
                .and_then(|r| r.report.members_male)
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ),
        (
            "members_female".to_string(),
            members
                .as_ref()
                .and_then(|r| r.report.members_female)
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ),
    ]);
    // What was sent last (waiting or returned) is shown back, not the older register values.
    if let Some(sub) = latest.as_ref().filter(|s| s.status != "approved") {
        if let Ok(f) = serde_json::from_str::<kopra_domain::CooperativeFields>(&sub.proposed) {
            for k in ANSWER_FIELDS {
                values.insert(k.into(), answer_value(&f, k));
            }
        }
        if let Some(r) = sub
            .report
            .as_deref()
            .and_then(|r| serde_json::from_str::<SubmissionReport>(r).ok())
        {
            for (k, v) in [("members_male", r.members_male), ("members_female", r.members_female)] {
                if let Some(v) = v {
                    values.insert(k.into(), v.to_string());
                }
            }
            if let Some(d) = r.rat_date {
                values.insert("rat_date".into(), d.to_string());
            }
            if let Some(d) = r.reported_date {
                values.insert("reported_date".into(), d.to_string());
            }
        }
    }
    let done = matches!(inv.outcome.as_str(), "submitted" | "approved") && returned_note.is_none();
    Ok((
        status,
        render(&AnswerPage {
            t,
            nav: None,
            code: inv.code,
            name: c.fields.name,
            values,
            returned_note,
            done,
            errors,
        }),
    )
        .into_response())
}

pub async fn answer(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    answer_page(&state, &ctx, &code, vec![], StatusCode::OK).await
}

pub async fn answer_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let t = Tr::new(ctx.lang);
    let inv = state
        .db
        .invitation_by_code(&code)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?;
    let c = state
        .db
        .cooperative(inv.cooperative_id)
        .await
        .map_err(|e| PageError(e.into(), ctx.lang))?;
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut input = c.fields.to_input();
    input.address = get("address").or(input.address);
    input.phone = get("phone");
    input.email = get("email");
    // Emptying a name of the board clears it, as for the phone and e-mail.
    input.chair_name = get("chair_name");
    input.chair_phone = get("chair_phone");
    input.secretary_name = get("secretary_name");
    input.treasurer_name = get("treasurer_name");
    input.supervisor_name = get("supervisor_name");
    input.manager_name = get("manager_name");
    let mut errors: Vec<String> = Vec::new();
    let fields = match input.parse(today()) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.extend(t.field_errors(&e));
            None
        }
    };
    let mut count = |k: &'static str| match get(k) {
        None => None,
        Some(v) => match crate::pages::reports::parse_whole_number(&v) {
            Some(n) if n >= 0 => Some(n),
            _ => {
                errors.push(t.field_error(k, "number_format"));
                None
            }
        },
    };
    let members_male = count("members_male");
    let members_female = count("members_female");
    let date = |k: &'static str, errors: &mut Vec<String>| match get(k) {
        None => None,
        Some(v) => match parse_iso_date(&v).filter(|d| *d <= today()) {
            Some(d) => Some(d),
            None => {
                errors.push(t.field_error(k, "date_format"));
                None
            }
        },
    };
    let rat_date = date("rat_date", &mut errors);
    let reported_date = date("reported_date", &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else {
        return answer_page(&state, &ctx, &code, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let report = SubmissionReport {
        rat_date,
        reported_date,
        members_male,
        members_female,
    };
    let stopped = f.contains_key("stopped");
    match state
        .db
        .submit_invitation(
            &inv,
            &fields,
            &report,
            stopped,
            f.get("note").map(String::as_str).unwrap_or(""),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/u/{}", inv.code)).into_response()),
        Err(kopra_db::DbError::Invalid(_)) => {
            let _ = FieldErrors::default();
            answer_page(
                &state,
                &ctx,
                &code,
                vec![t.key("campaign.closed")],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError(e.into(), ctx.lang)),
    }
}

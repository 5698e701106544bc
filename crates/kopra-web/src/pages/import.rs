//! Importing a spreadsheet from the browser: upload, preview (paged, filterable), save as
//! a batch, browse batches, undo one.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, Opt, query_string, render};
use crate::register::today;
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::import::{ImportFailure, ImportOptions, ImportPlan, RowAction};
use kopra_domain::{FieldError, FieldErrors, Permission};
use serde::Deserialize;

/// Largest upload: the importer's own file limit plus room for the form.
pub const IMPORT_BODY_LIMIT: usize = kopra_db::import::MAX_FILE_BYTES + 64 * 1024;
const PER_PAGE: usize = 100;

fn require(user: &PageUser) -> Result<(), PageError> {
    user.require(Permission::ImportData)
}

/// Undoing a batch touches whatever it wrote: only an officer for the whole region may.
/// (An officer limited to some kecamatan imports, but rows outside them are rejected.)
fn require_whole_region(user: &PageUser) -> Result<(), PageError> {
    require(user)?;
    if !user.user.kecamatan.is_empty() {
        return Err(user.fail(AppError::Forbidden));
    }
    Ok(())
}

struct BatchView {
    id: i64,
    file_name: String,
    at: String,
    by: String,
    summary: String,
    undone: Option<String>,
}

#[derive(Template)]
#[template(path = "import/upload.html")]
struct UploadPage {
    t: Tr,
    nav: Option<Nav>,
    error: Option<String>,
    templates: Vec<String>,
    batches: Vec<BatchView>,
}

fn summary_text(t: &Tr, summary: &serde_json::Value) -> String {
    let n = |k: &str| summary[k].as_i64().unwrap_or(0).to_string();
    t.fill(
        "import.counts",
        &[
            ("rows", &n("rows")),
            ("created", &n("created")),
            ("updated", &n("updated")),
            ("unchanged", &n("unchanged")),
            ("errors", &n("errors")),
            ("duplicates", &n("duplicates")),
            ("flagged", &n("flagged")),
            ("reports", &n("reports")),
        ],
    )
}

async fn upload_page_with(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let batches = state
        .db
        .import_batches(50)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|b| BatchView {
            id: b.id,
            file_name: b.file_name,
            at: super::cooperatives::format_time(b.created_at),
            by: b.actor_name,
            summary: summary_text(&t, &serde_json::from_str(&b.summary).unwrap_or_default()),
            undone: b.undone_by.map(|by| t.fill("import.undone", &[("by", &by)])),
        })
        .collect();
    let templates = state.db.mapping_template_names().await.map_err(|e| user.fail(e))?;
    Ok((
        status,
        render(&UploadPage {
            t,
            nav: Nav::of(&user.user),
            error,
            templates,
            batches,
        }),
    )
        .into_response())
}

pub async fn page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    require(&user)?;
    upload_page_with(&state, &user, None, StatusCode::OK).await
}

pub async fn upload(
    State(state): State<AppState>,
    user: PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    require(&user)?;
    let t = Tr::new(user.ctx.lang);
    let mut form = form.map_err(|r| {
        user.fail(AppError::BadRequest(
            StatusCode::BAD_REQUEST,
            "bad_request",
            r.body_text(),
        ))
    })?;
    let (mut file, mut sheet, mut template) = (None, None, None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return upload_page_with(
                    &state,
                    &user,
                    Some(t.key("import.error.too_large")),
                    StatusCode::PAYLOAD_TOO_LARGE,
                )
                .await;
            }
            Err(e) => {
                return Err(user.fail(AppError::BadRequest(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    e.body_text(),
                )));
            }
        };
        match field.name() {
            Some("sheet") => {
                sheet = field
                    .text()
                    .await
                    .ok()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            }
            Some("template") => {
                template = field
                    .text()
                    .await
                    .ok()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("impor").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => {
                        return upload_page_with(
                            &state,
                            &user,
                            Some(t.key("import.error.too_large")),
                            StatusCode::PAYLOAD_TOO_LARGE,
                        )
                        .await;
                    }
                }
            }
            _ => {}
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return upload_page_with(
            &state,
            &user,
            Some(t.key("import.error.empty")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // Check the file can be read before keeping it.
    let office = &state.office;
    if let Err(ImportFailure::File(e)) = state
        .db
        .plan_import(
            &bytes,
            &name,
            office,
            &ImportOptions {
                sheet: sheet.clone(),
                kecamatan_scope: user.user.kecamatan.clone(),
                ..Default::default()
            },
            today(),
        )
        .await
    {
        return upload_page_with(
            &state,
            &user,
            Some(t.key(&format!("import.error.{}", e.code()))),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let id = state
        .db
        .store_upload(&name, sheet.as_deref(), &bytes, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    if let Some(t) = template {
        let mapping = state.db.mapping_template(&t).await.map_err(|e| user.fail(e))?;
        state
            .db
            .set_upload_mapping(id, &mapping)
            .await
            .map_err(|e| user.fail(e))?;
    }
    Ok(Redirect::to(&format!("/impor/unggahan/{id}")).into_response())
}

struct RowView {
    /// For a held-back row: the registered record it resembles most, and the button's words.
    apply_to: Option<(i64, String)>,
    line: u64,
    name: String,
    action: String,
    action_key: String,
    link: Option<i64>,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "import/preview.html")]
struct PreviewPage {
    t: Tr,
    nav: Option<Nav>,
    id: i64,
    file_name: String,
    sheet: String,
    counts: String,
    mapping: Vec<(usize, String, Vec<Opt>)>,
    filters: Vec<(String, String, bool)>,
    rows: Vec<RowView>,
    errors: usize,
    notice: Option<String>,
    prev_query: Option<String>,
    next_query: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PreviewParams {
    tindakan: Option<String>,
    page: Option<usize>,
}

fn action_key(a: RowAction) -> &'static str {
    match a {
        RowAction::Create => "create",
        RowAction::Update => "update",
        RowAction::Unchanged => "unchanged",
        RowAction::Rejected => "rejected",
        RowAction::HeldBack => "held_back",
    }
}

fn plan_summary(plan: &ImportPlan) -> serde_json::Value {
    serde_json::json!({
        "rows": plan.rows.len(), "created": plan.count(RowAction::Create), "updated": plan.count(RowAction::Update),
        "unchanged": plan.count(RowAction::Unchanged), "errors": plan.count(RowAction::Rejected),
        "duplicates": plan.count(RowAction::HeldBack), "flagged": plan.flagged(),
        "reports": plan.reports(),
    })
}

async fn plan_of(state: &AppState, user: &PageUser, id: i64) -> Result<(ImportPlan, Option<i64>), PageError> {
    let (name, sheet, bytes, batch) = state.db.upload(id).await.map_err(|e| user.fail(e))?;
    let saved_mapping = state.db.upload_mapping(id).await.map_err(|e| user.fail(e))?;
    let decisions = state.db.held_back_decisions(id).await.map_err(|e| user.fail(e))?;
    let plan = state
        .db
        .plan_import(
            &bytes,
            &name,
            &state.office,
            &ImportOptions {
                sheet,
                saved_mapping,
                decisions,
                kecamatan_scope: user.user.kecamatan.clone(),
                ..Default::default()
            },
            today(),
        )
        .await
        .map_err(|e| match e {
            ImportFailure::Db(d) => user.fail(d),
            ImportFailure::File(f) => user.fail(AppError::BadRequest(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                f.to_string(),
            )),
        })?;
    Ok((plan, batch))
}

async fn preview_with(
    state: &AppState,
    user: &PageUser,
    id: i64,
    p: &PreviewParams,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let (plan, batch) = plan_of(state, user, id).await?;
    if let Some(b) = batch {
        return Ok(Redirect::to(&format!("/impor/batch/{b}")).into_response());
    }
    let wanted = p.tindakan.clone().filter(|s| !s.is_empty());
    let selected: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| wanted.as_deref().is_none_or(|w| w == action_key(r.action)))
        .collect();
    let page = p.page.unwrap_or(1).max(1);
    let rows = selected
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|r| {
            let mut details: Vec<String> = r
                .messages
                .iter()
                .map(|(col, val, _, code)| format!("{col}: {} ({val})", t.key(&format!("import.{code}"))))
                .collect();
            details.extend(r.changes.iter().map(|c| {
                format!(
                    "{}: {} → {}",
                    t.key(&format!("field.{}", c.field)),
                    c.from.clone().unwrap_or_default(),
                    c.to.clone().unwrap_or_default()
                )
            }));
            if !r.matches.is_empty() {
                let m: Vec<String> = r
                    .matches
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({}{}, {}%)",
                            m.name,
                            m.id.map(|i| format!("#{i}")).unwrap_or_default(),
                            m.row
                                .map(|l| format!(" {} {l}", t.key("import.line")))
                                .unwrap_or_default(),
                            m.score
                        )
                    })
                    .collect();
                details.push(format!(
                    "{}: {}",
                    t.key(if r.flagged { "import.flagged" } else { "import.matches" }),
                    m.join("; ")
                ));
            }
            RowView {
                apply_to: if r.action == RowAction::HeldBack {
                    r.matches
                        .iter()
                        .find_map(|m| m.id)
                        .map(|id| (id, t.fill("import.apply_to", &[("id", &id.to_string())])))
                } else {
                    None
                },
                line: r.line,
                name: r.name.clone(),
                action: t.key(&format!("import.action.{}", action_key(r.action))),
                action_key: action_key(r.action).into(),
                link: r.cooperative_id,
                details,
            }
        })
        .collect();
    let field_options: Vec<(String, String)> = kopra_db::import::FIELDS
        .iter()
        .map(|f| (f.key(), t.key(&format!("import.field.{}", f.key()))))
        .collect();
    let mapping = plan
        .mapping
        .headers
        .iter()
        .zip(&plan.mapping.fields)
        .enumerate()
        .filter(|(_, (h, _))| !h.is_empty())
        .map(|(i, (h, f))| {
            let current = f.map(|f| f.key());
            (
                i,
                h.clone(),
                Opt::list(&t.key("import.ignored"), &field_options, current.as_deref()),
            )
        })
        .collect();
    let filters = ["", "create", "update", "unchanged", "rejected", "held_back"]
        .iter()
        .map(|k| {
            let label = if k.is_empty() {
                t.key("list.all")
            } else {
                t.key(&format!("import.action.{k}"))
            };
            (k.to_string(), label, wanted.as_deref().unwrap_or("") == *k)
        })
        .collect();
    let q = |n: usize| {
        query_string(&[
            ("tindakan", wanted.clone().unwrap_or_default()),
            ("page", n.to_string()),
        ])
    };
    let view = PreviewPage {
        nav: Nav::of(&user.user),
        id,
        file_name: plan.file_name.clone(),
        sheet: plan.sheet.clone(),
        counts: summary_text(&t, &plan_summary(&plan)),
        mapping,
        filters,
        rows,
        errors: plan.count(RowAction::Rejected),
        notice,
        prev_query: (page > 1).then(|| q(page - 1)),
        next_query: (page * PER_PAGE < selected.len()).then(|| q(page + 1)),
        t,
    };
    Ok((status, render(&view)).into_response())
}

pub async fn preview(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(p): Query<PreviewParams>,
) -> Result<Response, PageError> {
    require(&user)?;
    preview_with(&state, &user, id, &p, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CommitForm {
    accept_valid: Option<String>,
}

pub async fn commit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CommitForm>,
) -> Result<Response, PageError> {
    require(&user)?;
    let t = Tr::new(user.ctx.lang);
    let (plan, batch) = plan_of(&state, &user, id).await?;
    if let Some(b) = batch {
        return Ok(Redirect::to(&format!("/impor/batch/{b}")).into_response());
    }
    if plan.count(RowAction::Rejected) > 0 && form.accept_valid.is_none() {
        return preview_with(
            &state,
            &user,
            id,
            &PreviewParams::default(),
            Some(t.key("import.must_fix")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let batch = state
        .db
        .commit_import(&plan, &state.office, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    state
        .db
        .mark_upload_committed(id, batch)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/impor/batch/{batch}")).into_response())
}

#[derive(Template)]
#[template(path = "import/batch.html")]
struct BatchPage {
    t: Tr,
    nav: Option<Nav>,
    id: i64,
    title: String,
    file_name: String,
    sha256: String,
    at: String,
    by: String,
    summary: String,
    undone: Option<String>,
    notice: Option<String>,
    rows: Vec<(i64, Option<i64>, String)>,
}

async fn batch_with(state: &AppState, user: &PageUser, id: i64, notice: Option<String>) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let (b, rows) = state.db.import_batch(id).await.map_err(|e| user.fail(e))?;
    let rows = rows
        .into_iter()
        .filter(|(_, _, action, _)| action != "unchanged")
        .map(|(line, coop, action, _)| (line, coop, t.key(&format!("import.action.{action}"))))
        .collect();
    Ok(render(&BatchPage {
        nav: Nav::of(&user.user),
        id: b.id,
        title: t.fill("import.batch", &[("id", &b.id.to_string())]),
        file_name: b.file_name,
        sha256: b.sha256,
        at: super::cooperatives::format_time(b.created_at),
        by: b.actor_name,
        summary: summary_text(&t, &serde_json::from_str(&b.summary).unwrap_or_default()),
        undone: b.undone_by.map(|by| t.fill("import.undone", &[("by", &by)])),
        notice,
        rows,
        t,
    }))
}

pub async fn batch(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    require(&user)?;
    batch_with(&state, &user, id, None).await
}

pub async fn undo(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    require_whole_region(&user)?;
    let t = Tr::new(user.ctx.lang);
    match state.db.undo_import(id, &state.office, &user.actor()).await {
        Ok(r) => {
            let notice = t.fill(
                "import.undo_done",
                &[
                    ("archived", &r.archived.to_string()),
                    ("restored", &r.restored.to_string()),
                    ("skipped", &r.skipped.len().to_string()),
                    ("reports", &r.reports_withdrawn.to_string()),
                ],
            );
            batch_with(&state, &user, id, Some(notice)).await
        }
        Err(kopra_db::DbError::Invalid(_)) => {
            let _ = FieldErrors::single("batch", FieldError::AlreadyUsed);
            Ok((StatusCode::CONFLICT, batch_with(&state, &user, id, None).await?).into_response())
        }
        Err(e) => Err(user.fail(e)),
    }
}

/// The preview as a workbook: the file's rows with a status and a message column.
pub async fn report(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    require(&user)?;
    let t = Tr::new(user.ctx.lang);
    let (plan, _) = plan_of(&state, &user, id).await?;
    let label = |a: RowAction| t.key(&format!("import.action.{}", action_key(a)));
    let message = |code: &str| t.key(&format!("import.{code}"));
    let bytes = plan.report_xlsx(&label, &message).map_err(|e| user.fail(e))?;
    let name = format!(
        "attachment; filename=\"hasil-{}.xlsx\"",
        plan.file_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect::<String>()
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    line: u64,
    /// "create", or "apply" with `target`
    decision: String,
    target: Option<i64>,
}

/// Decides a held-back row: create it anyway, or apply it to the matched record.
pub async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    require(&user)?;
    let decision = match (f.decision.as_str(), f.target) {
        ("create", _) => kopra_db::import::HeldBackDecision::Create,
        ("apply", Some(t)) => kopra_db::import::HeldBackDecision::Apply(t),
        _ => {
            return Err(user.fail(AppError::Invalid(FieldErrors::single(
                "decision",
                FieldError::ValueNotInList,
            ))));
        }
    };
    state.db.upload(id).await.map_err(|e| user.fail(e))?;
    state
        .db
        .decide_held_back(id, f.line, decision, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/impor/unggahan/{id}?tindakan=held_back")).into_response())
}

/// Applies the mapping edited in the preview to the upload; optionally saves it as a
/// named template for the next file.
pub async fn set_mapping(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    require(&user)?;
    let (plan, _) = plan_of(&state, &user, id).await?;
    let mapping: kopra_db::import::SavedMapping = plan
        .mapping
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(i, h)| {
            (
                h.clone(),
                form.get(&format!("col_{i}"))
                    .and_then(|k| kopra_db::import::field_from_key(k)),
            )
        })
        .collect();
    state
        .db
        .set_upload_mapping(id, &mapping)
        .await
        .map_err(|e| user.fail(e))?;
    if let Some(name) = form.get("template_name").map(|n| n.trim()).filter(|n| !n.is_empty()) {
        state
            .db
            .save_mapping_template(name, &mapping, &user.actor())
            .await
            .map_err(|e| user.fail(e))?;
    }
    Ok(Redirect::to(&format!("/impor/unggahan/{id}")).into_response())
}

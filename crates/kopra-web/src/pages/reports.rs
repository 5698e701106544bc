//! Entering annual reports (RAT) and decrees from the cooperative's page.

use super::cooperatives::{FieldView, detail_with_errors, form_response, load_editable};
use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::Opt;
use crate::register::today;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_domain::annual_report::{AnnualReportInput, CHANNELS};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::status::Status;
use kopra_domain::{FieldError, FieldErrors, Permission};
use std::collections::HashMap;

/// Fields of the report form: (name, kind). Numbers are typed as text so that offices can
/// write `1.500.000`.
const REPORT_FIELDS: [(&str, &str); 23] = [
    ("book_year", "number"),
    ("rat_date", "date"),
    ("reported_date", "date"),
    ("report_channel", "select"),
    ("members_male", "count"),
    ("members_female", "count"),
    ("members_total", "count"),
    ("pengurus", "count"),
    ("pengawas", "count"),
    ("managers_male", "count"),
    ("managers_female", "count"),
    ("employees_male", "count"),
    ("employees_female", "count"),
    ("simpanan_pokok", "money"),
    ("simpanan_wajib", "money"),
    ("modal_sendiri", "money"),
    ("modal_luar", "money"),
    ("modal_penyertaan", "money"),
    ("assets", "money"),
    ("business_volume", "money"),
    ("shu", "money"),
    ("savings_received", "money"),
    ("loans_given", "money"),
];

/// Whole Rupiah or counts as offices type them: `1500000`, `1.500.000`, `Rp 1.500.000`,
/// `1.500.000,00`, `-2.000.000`. Returns `None` when the text is not such a number.
pub fn parse_whole_number(raw: &str) -> Option<i64> {
    let s = raw.trim();
    let s = s
        .strip_prefix("Rp")
        .or_else(|| s.strip_prefix("rp"))
        .unwrap_or(s)
        .trim();
    let s = s.strip_suffix(",00").or_else(|| s.strip_suffix(",0")).unwrap_or(s);
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let cleaned: String = digits.chars().filter(|c| *c != '.' && *c != ' ').collect();
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = cleaned.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// An optional whole number typed in a form (`Rp 1.500.000` too): empty is `None`; text that
/// is no number is a `number_format` error on `field`.
pub fn optional_whole_number(raw: &str, field: &'static str, errors: &mut FieldErrors) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let n = parse_whole_number(raw);
    if n.is_none() {
        errors.add(field, FieldError::NumberFormat);
    }
    n
}

fn input_from_form(form: &HashMap<String, String>) -> Result<AnnualReportInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut obj = serde_json::Map::new();
    for (name, kind) in REPORT_FIELDS {
        let Some(v) = form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let value = match kind {
            "date" | "select" => serde_json::Value::String(v.to_string()),
            _ => match parse_whole_number(v) {
                Some(n) => serde_json::Value::from(n),
                None => {
                    errors.add(name, FieldError::NumberFormat);
                    continue;
                }
            },
        };
        obj.insert(name.to_string(), value);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(serde_json::Value::Object(obj))
        .map_err(|_| FieldErrors::single("book_year", FieldError::NumberFormat))
}

fn report_form(
    user: &PageUser,
    id: i64,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let t = Tr::new(user.ctx.lang);
    let choose = t.key("field.choose");
    let channels: Vec<(String, String)> = CHANNELS.iter().map(|c| (c.to_string(), c.to_uppercase())).collect();
    let fields: Vec<FieldView> = REPORT_FIELDS
        .iter()
        .map(|(name, kind)| FieldView {
            name: name.to_string(),
            label: t.key(&format!("field.{name}")),
            kind: match *kind {
                "date" => "date",
                "select" => "select",
                _ => "text",
            },
            value: values.get(*name).cloned().unwrap_or_default(),
            options: if *kind == "select" {
                Opt::list(&choose, &channels, values.get(*name).map(String::as_str))
            } else {
                vec![]
            },
            error: errors.get(name).map(|e| t.field_error(name, e.code())),
            hint: None,
            required: matches!(*name, "book_year"),
            heading: None,
        })
        .collect();
    form_response(
        user,
        t.key("report.form_title"),
        format!("/koperasi/{id}/laporan"),
        format!("/koperasi/{id}"),
        fields,
        None,
        status,
    )
}

/// The office enters reports; a cooperative's pengurus proposes them for verification.
fn require_report_entry(user: &PageUser) -> Result<bool, PageError> {
    if user.user.role.allows(Permission::EditReports) {
        return Ok(true);
    }
    user.require(Permission::ProposeChange)?;
    Ok(false)
}

pub async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require_report_entry(&user)?;
    load_editable(&state, &user, id).await?;
    let values = HashMap::from([("book_year".to_string(), (today().year() - 1).to_string())]);
    Ok(report_form(&user, id, &values, &FieldErrors::default(), StatusCode::OK))
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let office = require_report_entry(&user)?;
    load_editable(&state, &user, id).await?;
    let errors = match input_from_form(&form).and_then(|i| i.parse(today())) {
        Ok(report) => match if office {
            state.db.create_annual_report(id, &report, "entry", &user.actor()).await
        } else {
            state.db.propose_annual_report(id, &report, &user.actor()).await
        } {
            Ok(_) => return Ok(Redirect::to(&format!("/koperasi/{id}#laporan")).into_response()),
            Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => e,
            Err(e) => return Err(user.fail(e)),
        },
        Err(e) => e,
    };
    Ok(report_form(&user, id, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY))
}

pub async fn legal_state_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    user.require(Permission::ArchiveCooperative)?;
    let c = load_editable(&state, &user, id).await?;
    let get = |k: &str| form.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::default();
    let status = Status::parse(&get("status")).filter(|s| s.is_legal());
    if status.is_none() {
        errors.add("status", FieldError::ValueNotInList);
    }
    let date = parse_iso_date(&get("decree_date")).filter(|d| *d <= today());
    if date.is_none() {
        errors.add("decree_date", FieldError::DateFormat);
    }
    let result = match (status, date) {
        (Some(s), Some(d)) if errors.is_empty() => state
            .db
            .set_legal_state(id, s, &get("decree_number"), d, &get("note"), &user.actor())
            .await
            .map(|_| ()),
        _ => Err(kopra_db::DbError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/koperasi/{id}#status")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => detail_with_errors(&state, &user, c, &e).await,
        Err(e) => Err(user.fail(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_offices_write_them() {
        assert_eq!(parse_whole_number("1500000"), Some(1_500_000));
        assert_eq!(parse_whole_number("Rp 1.500.000"), Some(1_500_000));
        assert_eq!(parse_whole_number("1.500.000,00"), Some(1_500_000));
        assert_eq!(parse_whole_number("-2.000.000"), Some(-2_000_000));
        assert_eq!(parse_whole_number("1,5 M"), None);
        assert_eq!(parse_whole_number("abc"), None);
    }
}

pub async fn attach(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, rid)): Path<(i64, i64)>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    user.require(Permission::EditReports)?;
    let c = load_editable(&state, &user, id).await?;
    let report = state.db.annual_report(rid).await.map_err(|e| user.fail(e))?;
    if report.cooperative_id != id {
        return Err(user.fail(crate::error::AppError::NotFound));
    }
    let form = form.map_err(|r| {
        user.fail(crate::error::AppError::BadRequest(
            StatusCode::BAD_REQUEST,
            "bad_request",
            r.body_text(),
        ))
    })?;
    match crate::attachments::upload(&state, &user.user, rid, form, user.ctx.ip.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/koperasi/{id}#laporan")).into_response()),
        Err(crate::error::AppError::Invalid(e)) => detail_with_errors(&state, &user, c, &e).await,
        Err(e) => Err(user.fail(e)),
    }
}

pub async fn download(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewCooperative)?;
    crate::attachments::download(&state, &user.user, id)
        .await
        .map_err(|e| user.fail(e))
}

#[derive(serde::Deserialize)]
pub struct ReviewForm {
    note: Option<String>,
}

async fn review(
    state: AppState,
    user: PageUser,
    id: i64,
    rid: i64,
    form: ReviewForm,
    verify: bool,
) -> Result<Response, PageError> {
    user.require(Permission::EditReports)?;
    let c = load_editable(&state, &user, id).await?;
    let report = state.db.annual_report(rid).await.map_err(|e| user.fail(e))?;
    if report.cooperative_id != id {
        return Err(user.fail(crate::error::AppError::NotFound));
    }
    match state
        .db
        .review_annual_report(rid, verify, form.note.as_deref().unwrap_or(""), &user.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/koperasi/{id}#laporan")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => detail_with_errors(&state, &user, c, &e).await,
        Err(e) => Err(user.fail(e)),
    }
}

pub async fn verify(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, rid)): Path<(i64, i64)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    review(state, user, id, rid, form, true).await
}

pub async fn return_report(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, rid)): Path<(i64, i64)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    review(state, user, id, rid, form, false).await
}

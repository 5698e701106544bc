//! The health assessment form of a savings-and-loan cooperative.

use super::cooperatives::{FieldView, form_response, load_editable};
use crate::AppState;
use crate::auth::PageUser;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::register::today;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::health::{regulation_for_year, regulations};
use kopra_domain::health::IndicatorKind;
use kopra_domain::{FieldError, FieldErrors, Permission};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize)]
pub struct Params {
    book_year: Option<i32>,
}

fn form(
    user: &PageUser,
    id: i64,
    book_year: i32,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let t = Tr::new(user.ctx.lang);
    let reg_id = regulation_for_year(book_year);
    let reg = regulations().into_iter().find(|r| r.id == reg_id);
    let mut fields = vec![FieldView {
        name: "book_year".into(),
        label: t.key("field.book_year"),
        kind: "text",
        value: book_year.to_string(),
        options: vec![],
        error: errors.get("book_year").map(|e| t.field_error("book_year", e.code())),
        hint: Some(format!(
            "{}: {}",
            t.key("field.regulation"),
            reg.as_ref().map(|r| r.title.clone()).unwrap_or_default()
        )),
        required: true,
        heading: None,
    }];
    for a in reg.iter().flat_map(|r| r.aspects.iter()) {
        for i in &a.indicators {
            let hint = match &i.kind {
                IndicatorKind::Checklist { items } => t.fill("health.items", &[("items", &items.to_string())]),
                IndicatorKind::Ratio { .. } => "%".to_string(),
                IndicatorKind::Points => {
                    format!("0–{}", reg.as_ref().map_or(100.0, |r| r.scale_max))
                }
            };
            fields.push(FieldView {
                name: i.key.clone(),
                label: format!("{} — {}", a.label, i.label),
                kind: "text",
                value: values.get(&i.key).cloned().unwrap_or_default(),
                options: vec![],
                error: errors.get(&i.key).map(|e| t.field_error(&i.key, e.code())),
                hint: Some(hint),
                required: true,
                heading: None,
            });
        }
    }
    form_response(
        user,
        t.key("health.form_title"),
        format!("/koperasi/{id}/kesehatan"),
        format!("/koperasi/{id}"),
        fields,
        None,
        status,
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    user.require(Permission::EditReports)?;
    load_editable(&state, &user, id).await?;
    let reports = state.db.annual_reports(id).await.map_err(|e| user.fail(e))?;
    let book_year = p
        .book_year
        .or_else(|| reports.first().map(|r| r.report.book_year))
        .unwrap_or(today().year() - 1);
    let values: HashMap<String, String> = crate::api::health::prefill_answers(&state, id, book_year)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    Ok(form(
        &user,
        id,
        book_year,
        &values,
        &FieldErrors::default(),
        StatusCode::OK,
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    user.require(Permission::EditReports)?;
    load_editable(&state, &user, id).await?;
    let Some(book_year) = values
        .get("book_year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (1945..=today().year()).contains(y))
    else {
        let errors = FieldErrors::single("book_year", FieldError::ValueNotInList);
        return Ok(form(
            &user,
            id,
            today().year() - 1,
            &values,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let regulation = regulation_for_year(book_year);
    let mut answers = BTreeMap::new();
    let mut unreadable = FieldErrors::default();
    for reg in regulations().into_iter().filter(|r| r.id == regulation) {
        for i in reg.aspects.into_iter().flat_map(|a| a.indicators) {
            let Some(v) = values.get(&i.key).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
                continue;
            };
            match v.replace(',', ".").parse::<f64>() {
                Ok(n) => {
                    answers.insert(i.key, n);
                }
                Err(_) => unreadable.add(kopra_db::health::field_name(&i.key), FieldError::NumberFormat),
            }
        }
    }
    let errors = if unreadable.is_empty() {
        match state
            .db
            .create_health_assessment(id, book_year, regulation, &answers, &user.actor())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/koperasi/{id}#kesehatan")).into_response()),
            Err(kopra_db::DbError::Invalid(e)) => e,
            Err(e) => return Err(user.fail(e)),
        }
    } else {
        unreadable
    };
    Ok(form(
        &user,
        id,
        book_year,
        &values,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

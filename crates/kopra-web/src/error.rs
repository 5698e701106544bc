//! One error type for the web crate. It renders as `application/json` for the API and as
//! an HTML page for the browser; 500s are logged with an incident id and never show SQL.

use crate::i18n::{Lang, Tr};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kopra_db::DbError;
use kopra_db::cooperatives::CooperativeRecord;
use kopra_domain::FieldErrors;
use serde_json::{Map, Value, json};

#[derive(Debug)]
pub enum AppError {
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid(FieldErrors),
    Duplicate(FieldErrors),
    Stale(Box<CooperativeRecord>),
    StaleReport(Box<kopra_db::annual_reports::AnnualReportRecord>),
    /// Any other record changed since the edit started (its current state attached).
    Conflict(Value),
    /// A request that cannot be read; the code is a message key suffix (`error.<code>`).
    BadRequest(StatusCode, &'static str, String),
    Throttled,
    InvalidCredentials,
    Internal(String),
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => AppError::NotFound,
            DbError::Invalid(f) => AppError::Invalid(f),
            DbError::Duplicate(f) => AppError::Duplicate(f),
            DbError::StaleVersion(r) => AppError::Stale(r),
            DbError::StaleReport(r) => AppError::StaleReport(r),
            DbError::Conflict(v) => AppError::Conflict(v),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Duplicate(_) | AppError::Stale(_) | AppError::StaleReport(_) | AppError::Conflict(_) => {
                StatusCode::CONFLICT
            }
            AppError::BadRequest(s, _, _) => *s,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code programs read.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid(_) => "invalid",
            AppError::Duplicate(_) => "duplicate",
            AppError::Stale(_) | AppError::StaleReport(_) | AppError::Conflict(_) => "stale",
            AppError::BadRequest(_, code, _) => code,
            AppError::Throttled => "throttled",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Internal(_) => "internal",
        }
    }

    fn incident(&self) -> Option<String> {
        if let AppError::Internal(detail) = self {
            let id = kopra_db::sessions::new_secret()[..12].to_string();
            tracing::error!(incident = %id, %detail, "internal error");
            Some(id)
        } else {
            None
        }
    }

    pub fn message(&self, tr: &Tr, incident: Option<&str>) -> String {
        tr.fill(&format!("error.{}", self.code()), &[("id", incident.unwrap_or("-"))])
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(f) | AppError::Duplicate(f) => Some(f),
            _ => None,
        }
    }

    /// The JSON body of the API: `{"error":{"code","message","fields"}}`; a stale edit
    /// also carries the current record.
    pub fn to_json(&self, lang: Lang) -> Response {
        let tr = Tr::new(lang);
        let incident = self.incident();
        let mut err = Map::new();
        err.insert("code".into(), json!(self.code()));
        err.insert("message".into(), json!(self.message(&tr, incident.as_deref())));
        if let Some(f) = self.fields() {
            let fields: Map<String, Value> = f
                .iter()
                .map(|(k, e)| (k.to_string(), json!(tr.field_error(k, e.code()))))
                .collect();
            let codes: Map<String, Value> = f.iter().map(|(k, e)| (k.to_string(), json!(e.code()))).collect();
            err.insert("fields".into(), Value::Object(fields));
            err.insert("field_codes".into(), Value::Object(codes));
        }
        if let AppError::BadRequest(_, _, detail) = self
            && !detail.is_empty()
        {
            err.insert("detail".into(), json!(detail));
        }
        let mut body = json!({ "error": err });
        match self {
            AppError::Stale(current) => body["current"] = json!(current),
            AppError::StaleReport(current) => body["current"] = json!(current),
            AppError::Conflict(current) => body["current"] = current.clone(),
            _ => {}
        }
        let mut resp = (self.status(), axum::Json(body)).into_response();
        if matches!(self, AppError::Unauthorized | AppError::InvalidCredentials) {
            resp.headers_mut()
                .insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// An error answered as JSON (API routes).
pub struct ApiError(pub AppError, pub Lang);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.to_json(self.1)
    }
}

/// An error answered as an HTML page (browser routes).
pub struct PageError(pub AppError, pub Lang);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(err, lang) = self;
        if matches!(err, AppError::Unauthorized) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let tr = Tr::new(lang);
        let incident = err.incident();
        let mut message = err.message(&tr, incident.as_deref());
        if let Some(fields) = err.fields() {
            for sentence in tr.field_errors(fields) {
                message.push(' ');
                message.push_str(&sentence);
            }
        }
        let page = crate::pages::ErrorPage {
            t: tr,
            nav: None,
            title: tr.key("error.title"),
            message,
        };
        (err.status(), crate::pages::render(&page)).into_response()
    }
}

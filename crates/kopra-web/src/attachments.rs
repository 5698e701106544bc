//! Uploading and downloading report attachments, shared by pages and the API.

use crate::AppState;
use crate::error::AppError;
use crate::register::{check_kecamatan, check_scope};
use axum::extract::Multipart;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kopra_db::attachments::AttachmentInfo;
use kopra_db::users::User;
use kopra_domain::attachment::MAX_ATTACHMENT_BYTES;
use kopra_domain::{FieldError, FieldErrors};

/// The body limit for upload routes: the file plus room for the other fields.
pub const UPLOAD_BODY_LIMIT: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

/// Reads `kind` and `file` from a multipart form and stores the file for the report.
pub async fn upload(
    state: &AppState,
    user: &User,
    report_id: i64,
    mut form: Multipart,
    ip: Option<String>,
) -> Result<AttachmentInfo, AppError> {
    let report = state.db.annual_report(report_id).await?;
    let c = state.db.cooperative(report.cooperative_id).await?;
    check_scope(user, &c)?;
    check_kecamatan(user, &c.fields.kecamatan_code)?;
    let mut kind = String::from("other");
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_large = || AppError::Invalid(FieldErrors::single("file", FieldError::FileTooLarge));
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => {
                return Err(AppError::BadRequest(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    e.body_text(),
                ));
            }
        };
        match field.name() {
            Some("kind") => {
                kind = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(StatusCode::BAD_REQUEST, "bad_request", e.body_text()))?
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("lampiran").to_string();
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large());
                    }
                    Err(e) => {
                        return Err(AppError::BadRequest(
                            StatusCode::BAD_REQUEST,
                            "bad_request",
                            e.body_text(),
                        ));
                    }
                };
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, data) = file.ok_or_else(|| AppError::Invalid(FieldErrors::single("file", FieldError::Required)))?;
    Ok(state
        .db
        .add_attachment(report_id, kind.trim(), &name, data, &user.actor(ip))
        .await?)
}

/// The file, as a download, after the same scope checks as its cooperative.
pub async fn download(state: &AppState, user: &User, id: i64) -> Result<Response, AppError> {
    let (info, data) = state.db.attachment(id).await?;
    let report = state.db.annual_report(info.report_id).await?;
    let c = state.db.cooperative(report.cooperative_id).await?;
    check_scope(user, &c)?;
    let disposition = format!("attachment; filename=\"{}\"", info.file_name);
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response())
}

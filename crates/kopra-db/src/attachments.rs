//! Attachments of annual reports, stored in the database (shared by every app server).

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::attachment::{KINDS, MAX_ATTACHMENT_BYTES, clean_file_name, sniff};
use kopra_domain::{FieldError, FieldErrors};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AttachmentInfo {
    pub id: i64,
    pub report_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const INFO: &str = "id, report_id, kind, file_name, content_type, size, sha256, uploaded_by, created_at";

impl Db {
    /// Stores a file for a report after checking its size and, by content, its type.
    pub async fn add_attachment(
        &self,
        report_id: i64,
        kind: &str,
        file_name: &str,
        data: Vec<u8>,
        actor: &Actor,
    ) -> Result<AttachmentInfo, DbError> {
        let report = self.annual_report(report_id).await?;
        let mut e = FieldErrors::default();
        if !KINDS.contains(&kind) {
            e.add("kind", FieldError::ValueNotInList);
        }
        if data.is_empty() {
            e.add("file", FieldError::Required);
        } else if data.len() > MAX_ATTACHMENT_BYTES {
            e.add("file", FieldError::FileTooLarge);
        }
        let content_type = sniff(&data);
        if content_type.is_none() && !data.is_empty() {
            e.add("file", FieldError::FileType);
        }
        if !e.is_empty() {
            return Err(DbError::Invalid(e));
        }
        let sha: String = Sha256::digest(&data).iter().map(|b| format!("{b:02x}")).collect();
        let name = clean_file_name(file_name);
        let size = data.len() as i64;
        let sql = format!(
            "INSERT INTO report_attachments (report_id, kind, file_name, content_type, size, sha256, data, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {INFO}"
        );
        let info = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let info = sqlx::query_as::<_, AttachmentInfo>(sqlx::AssertSqlSafe(sql))
                .bind(report_id).bind(kind).bind(&name).bind(content_type.unwrap_or_default()).bind(size).bind(&sha)
                .bind(&data).bind(actor.name.clone()).bind(now())
                .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "annual_report.attach", entity_type: "cooperative", entity_id: Some(report.cooperative_id.to_string()),
                before: None, after: Some(json!({"report": report_id, "attachment": info.id, "file_name": name, "size": size, "sha256": sha})),
            })?;
            tx.commit().await?;
            info
        });
        Ok(info)
    }

    pub async fn attachments_of(&self, report_id: i64) -> Result<Vec<AttachmentInfo>, DbError> {
        let sql = format!("SELECT {INFO} FROM report_attachments WHERE report_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AttachmentInfo>(sqlx::AssertSqlSafe(sql)).bind(report_id).fetch_all(p).await)?,
        )
    }

    /// The file's information and bytes.
    pub async fn attachment(&self, id: i64) -> Result<(AttachmentInfo, Vec<u8>), DbError> {
        let sql = format!("SELECT {INFO} FROM report_attachments WHERE id = $1");
        let info = on_pool!(self, p => sqlx::query_as::<_, AttachmentInfo>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?
            .ok_or(DbError::NotFound)?;
        let data: Vec<u8> = on_pool!(self, p => sqlx::query_scalar("SELECT data FROM report_attachments WHERE id = $1").bind(id).fetch_one(p).await)?;
        Ok((info, data))
    }
}

//! The audit trail: every write and every login attempt, append-only (the schema refuses
//! updates and deletes of audit rows).

use crate::{Actor, Db, DbError, on_pool};
use serde::Serialize;
use time::OffsetDateTime;

/// One audit row to write.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
}

pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity_type, entity_id, before, after, ip) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Writes an audit row on any executor (a pool or an open transaction) of either engine.
#[macro_export]
macro_rules! write_audit {
    ($exec:expr, $actor:expr, $entry:expr) => {{
        let actor: &$crate::Actor = $actor;
        let entry: $crate::audit::AuditEntry<'_> = $entry;
        sqlx::query($crate::audit::INSERT_AUDIT)
            .bind($crate::now())
            .bind(actor.user_id)
            .bind(actor.name.clone())
            .bind(entry.action.to_string())
            .bind(entry.entity_type.to_string())
            .bind(entry.entity_id)
            .bind(entry.before.map(|v| v.to_string()))
            .bind(entry.after.map(|v| v.to_string()))
            .bind(actor.ip.clone())
            .execute($exec)
            .await
            .map(|_| ())
    }};
}

impl Db {
    /// Writes one audit row on its own (for events that change nothing else: logins).
    pub async fn audit(&self, actor: &Actor, entry: AuditEntry<'_>) -> Result<(), DbError> {
        on_pool!(self, p => write_audit!(p, actor, entry))?;
        Ok(())
    }

    /// Audit rows, newest first, filtered; `(rows, total)`.
    pub async fn audit_rows(&self, f: &AuditFilter, page: i64, per_page: i64) -> Result<(Vec<AuditRow>, i64), DbError> {
        const WHERE: &str = "WHERE ($1 IS NULL OR actor_name = $1) AND ($2 IS NULL OR action LIKE $2) \
             AND ($3 IS NULL OR entity_type = $3) AND ($4 IS NULL OR entity_id = $4)";
        let action = f.action.as_ref().map(|a| format!("{a}%"));
        let offset = (page.max(1) - 1) * per_page;
        let (rows, total) = on_pool!(self, p => {
            let rows = sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(format!(
                "SELECT id, at, actor_user_id, actor_name, action, entity_type, entity_id, before, after, ip \
                 FROM audit_log {WHERE} ORDER BY id DESC LIMIT $5 OFFSET $6"
            )))
            .bind(f.actor.clone()).bind(action.clone()).bind(f.entity_type.clone()).bind(f.entity_id.clone())
            .bind(per_page).bind(offset)
            .fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_log {WHERE}")))
                .bind(f.actor.clone()).bind(action.clone()).bind(f.entity_type.clone()).bind(f.entity_id.clone())
                .fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }

    /// Failed logins for `username` since `since`: the throttle's count.
    pub async fn failed_logins_since(&self, username: &str, since: OffsetDateTime) -> Result<i64, DbError> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND entity_id = $1 AND at > $2",
        ).bind(username).bind(since).fetch_one(p).await)?)
    }
}

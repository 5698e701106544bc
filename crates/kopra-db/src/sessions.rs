//! Browser sessions and API tokens, both in the database so several app servers share
//! them. Only a SHA-256 of each secret is stored.

use crate::audit::AuditEntry;
use crate::users::{User, UserRow};
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// A new random secret (256 bits, hex).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

const USER_COLUMNS: &str =
    "u.id, u.username, u.password_hash, u.role, u.cooperative_id, u.kecamatan_codes, u.active, u.created_at";

impl Db {
    /// Starts a session; returns the secret for the cookie.
    pub async fn create_session(&self, user_id: i64) -> Result<String, DbError> {
        let secret = new_secret();
        let t = now();
        on_pool!(self, p => sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(secret_hash(&secret)).bind(user_id).bind(t).bind(t + SESSION_LIFETIME).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(secret)
    }

    pub async fn session_user(&self, secret: &str) -> Result<Option<User>, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3"
        ))).bind(secret_hash(secret)).bind(now()).bind(true).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    pub async fn end_session(&self, secret: &str) -> Result<(), DbError> {
        on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2")
            .bind(secret_hash(secret)).bind(now()).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Creates an API token for `user_id`; returns its row and the secret, shown once.
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        actor: &Actor,
    ) -> Result<(ApiTokenRow, String), DbError> {
        let secret = new_secret();
        let name = if name.trim().is_empty() { "token" } else { name.trim() };
        let row = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let row = sqlx::query_as::<_, ApiTokenRow>(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, user_id, name, created_at, revoked_at",
            ).bind(user_id).bind(name).bind(secret_hash(&secret)).bind(now()).fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "token.create", entity_type: "api_token", entity_id: Some(row.id.to_string()),
                before: None, after: Some(json!({"user_id": user_id, "name": row.name})),
            })?;
            tx.commit().await?;
            row
        });
        Ok((row, secret))
    }

    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiTokenRow>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ApiTokenRow>(
            "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 1000",
        ).bind(user_id).fetch_all(p).await)?)
    }

    /// Revokes a token of `owner_id`; `NotFound` when it is not theirs or already revoked.
    pub async fn revoke_api_token(&self, id: i64, owner_id: i64, actor: &Actor) -> Result<(), DbError> {
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now()).bind(id).bind(owner_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "token.revoke", entity_type: "api_token", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"revoked": true})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = $2"
        ))).bind(secret_hash(secret)).bind(true).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }
}

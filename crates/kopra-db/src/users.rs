//! User accounts with Argon2id password hashes.

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use kopra_domain::{FieldError, FieldErrors, Role, Scope};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub cooperative_id: Option<i64>,
    pub kecamatan_codes: String,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A signed-in user as requests see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub cooperative_id: Option<i64>,
    pub kecamatan: Vec<String>,
}

impl User {
    pub fn scope(&self) -> Scope {
        Scope::of(self.role, &self.kecamatan, self.cooperative_id)
    }
    pub fn actor(&self, ip: Option<String>) -> Actor {
        Actor {
            user_id: Some(self.id),
            name: self.username.clone(),
            ip,
        }
    }
}

impl TryFrom<UserRow> for User {
    type Error = DbError;
    fn try_from(r: UserRow) -> Result<Self, DbError> {
        let role = Role::parse(&r.role).ok_or_else(|| DbError::Corrupt(format!("role {:?}", r.role)))?;
        let kecamatan = r
            .kecamatan_codes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Ok(User {
            id: r.id,
            username: r.username,
            role,
            cooperative_id: r.cooperative_id,
            kecamatan,
        })
    }
}

/// What creating a user needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub cooperative_id: Option<i64>,
    pub kecamatan: Vec<String>,
}

pub const MIN_PASSWORD_LEN: usize = 10;

pub fn hash_password(password: &str) -> Result<String, DbError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DbError::Corrupt(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when the user does not exist, so both paths take equal time.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("kopra-dummy-password").unwrap_or_default())
}

const USER_COLUMNS: &str = "id, username, password_hash, role, cooperative_id, kecamatan_codes, active, created_at";

impl Db {
    pub async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<UserRow, DbError> {
        let mut errors = FieldErrors::default();
        let username = new.username.trim().to_lowercase();
        if username.is_empty() {
            errors.add("username", FieldError::Required);
        } else if username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            errors.add("username", FieldError::TooLong);
        }
        if new.password.chars().count() < MIN_PASSWORD_LEN {
            errors.add("password", FieldError::TooShort);
        }
        if new.role == Role::Pengurus && new.cooperative_id.is_none() {
            errors.add("cooperative_id", FieldError::Required);
        }
        if let Some(id) = new.cooperative_id
            && self.cooperative(id).await.is_err()
        {
            errors.add("cooperative_id", FieldError::ValueNotInList);
        }
        for k in &new.kecamatan {
            if !matches!(self.region(k).await?, Some(r) if r.level == "kecamatan") {
                errors.add("kecamatan", FieldError::RegionUnknown);
            }
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let hash = hash_password(&new.password)?;
        let kec = new.kecamatan.join(",");
        let result = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let row = sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
                "INSERT INTO users (username, password_hash, role, cooperative_id, kecamatan_codes, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {USER_COLUMNS}"
            )))
            .bind(&username).bind(&hash).bind(new.role.as_str()).bind(new.cooperative_id).bind(&kec).bind(true).bind(now())
            .fetch_one(&mut *tx).await;
            match row {
                Ok(row) => {
                    write_audit!(&mut *tx, actor, AuditEntry {
                        action: "user.create", entity_type: "user", entity_id: Some(row.id.to_string()),
                        before: None, after: Some(json!({"username": row.username, "role": row.role, "cooperative_id": row.cooperative_id, "kecamatan": kec})),
                    })?;
                    tx.commit().await?;
                    Ok(row)
                }
                Err(e) => Err(e),
            }
        });
        result.map_err(|e| {
            if DbError::is_unique_violation(&e) {
                DbError::Duplicate(FieldErrors::single("username", FieldError::AlreadyUsed))
            } else {
                e.into()
            }
        })
    }

    pub async fn user_count(&self) -> Result<i64, DbError> {
        Ok(on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?)
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, DbError> {
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username LIMIT 10000"
        ))).fetch_all(p).await)?,
        )
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND active = $2"
        ))).bind(id).bind(true).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    /// Checks a username and password. Does not audit: the caller records the attempt
    /// with its address.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<Option<User>, DbError> {
        let username = username.trim().to_lowercase();
        let row = on_pool!(self, p => sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        ))).bind(&username).fetch_optional(p).await)?;
        let password = password.to_string();
        let (row, ok) = tokio::task::spawn_blocking(move || match row {
            Some(r) => {
                let ok = r.active && verify_password(&password, &r.password_hash);
                (Some(r), ok)
            }
            None => {
                verify_password(&password, dummy_hash());
                (None, false)
            }
        })
        .await
        .map_err(|e| DbError::Corrupt(format!("password check: {e}")))?;
        match (row, ok) {
            (Some(r), true) => Ok(Some(User::try_from(r)?)),
            _ => Ok(None),
        }
    }

    /// Deactivates or reactivates a user (accounts are never deleted).
    pub async fn set_user_active(&self, id: i64, active: bool, actor: &Actor) -> Result<(), DbError> {
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active).bind(id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: if active { "user.activate" } else { "user.deactivate" }, entity_type: "user",
                entity_id: Some(id.to_string()), before: None, after: Some(json!({"active": active})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }
}
